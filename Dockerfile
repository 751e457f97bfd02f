# LightStep Mesh Console image: docker build -t lightstep-mesh-console .
# tools/dockerfile-steps.sh runs the build stage's COPY/RUN steps below on the host (CI has no container
# engine) and checks that the output answers /healthz: keep the build stage to WORKDIR, COPY and RUN.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is reused while only sources change.
COPY src/MeshConsole.Domain/MeshConsole.Domain.csproj src/MeshConsole.Domain/
COPY src/WebConsole/WebConsole.csproj src/WebConsole/
RUN dotnet restore src/WebConsole/WebConsole.csproj
COPY src/ src/
# The app's static assets live at the repository's top level; WebConsole.csproj links ../../wwwroot, so the
# two folders keep their relative places and publish puts them in /app/wwwroot with the framework's.
COPY wwwroot/ wwwroot/
# No --no-restore: the SDK adds the package that carries _framework/blazor.web.js only when it sees .razor
# files (RequiresAspNetWebAssets), which the project-files-only restore above cannot; this restore adds it.
RUN dotnet publish src/WebConsole/WebConsole.csproj --configuration Release --output /app -p:UseAppHost=false

# Alpine: the smallest aspnet image that still has a tool for HEALTHCHECK (BusyBox wget; the Debian/Ubuntu
# and chiseled aspnet images ship neither curl nor wget). Alpine images run in invariant globalization
# mode, but the console is localized (en, zh-Hans), so ICU goes back in as in the .NET team's own sample:
# https://github.com/dotnet/dotnet-docker/blob/main/samples/dotnetapp/Dockerfile.alpine-icu
FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine AS runtime
RUN apk add --no-cache icu-data-full icu-libs
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false
# appsettings.json binds 127.0.0.1:5000 under the key "Urls", which outranks ASPNETCORE_URLS and
# ASPNETCORE_HTTP_PORTS; the unprefixed URLS variable is read after appsettings.json, so it wins.
ENV URLS=http://+:8080
# Off loopback the console requires sign-in; with an access key it prints the key once at start
# (docker logs). Set Console__Access__Mode=OpenIdConnect (and its settings) for shared environments.
ENV Console__Access__Mode=AccessKey
WORKDIR /app
COPY --from=build /app .
# APP_UID (1654) is the non-root "app" user every .NET 8+ image defines; numeric, so Kubernetes'
# runAsNonRoot can verify it.
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD wget -q -T 2 -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "WebConsole.dll"]
