using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Security;

namespace MeshConsole.Domain.Tests.Security;

public sealed class SensitiveValuesTests
{
    [Fact]
    public void A_value_containing_another_is_masked_whole_and_only_its_last_four_characters_stay()
    {
        var values = SensitiveValues.Of("TOKEN-1234", "", null, "XTOKEN-1234-LONGER-9876");

        var masked = values.Mask("a=XTOKEN-1234-LONGER-9876 b=TOKEN-1234");

        Assert.DoesNotContain("TOKEN-1234", masked);
        Assert.EndsWith("9876 b=••••1234", masked);
        Assert.Equal(2, values.Count);
    }

    [Fact]
    public void The_plan_carries_the_inputs_values_so_its_screen_text_masks_the_token()
    {
        var input = new PlanInput { AccessToken = "plan-token-abcdef-7777", CaCertificatePem = null, IstioVersion = IstioVersion.Parse("1.26") };

        var plan = PlanBuilder.Build(input);

        Assert.Equal(["plan-token-abcdef-7777"], plan.SensitiveValues);
        Assert.DoesNotContain("plan-token-abcdef-7777", PlanRenderer.InstallScriptForScreen(plan));
    }
}
