using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// The mesh-wide LightStep settings the facilitator enters once; every participant sees them read-only.
/// <see cref="ToString"/> shows the token masked, so logging a session never leaks it.
/// </summary>
public sealed record SharedSettings(
    LightStepProduct Product,
    string SatelliteAddress,
    string? CaCertificatePem,
    string AccessToken,
    string Project,
    IstioVersion IstioVersion,
    decimal SamplingPercent)
{
    public override string ToString() =>
        $"SharedSettings {{ Product = {Product}, SatelliteAddress = {SatelliteAddress}, CaCertificatePem = {(CaCertificatePem is null ? "none" : $"{CaCertificatePem.Length} characters")}, " +
        $"AccessToken = {AccessTokenRules.MaskForDisplay(AccessToken)}, Project = {Project}, IstioVersion = {IstioVersion}, SamplingPercent = {SamplingPercent} }}";
}
