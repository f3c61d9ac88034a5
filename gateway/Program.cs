using MeshPortal.Gateway.Hosting;
using Microsoft.Extensions.Options;

InlineIo.EnableUnlessSet();
var builder = WebApplication.CreateBuilder(args);
builder.AddGateway();

WebApplication app;
try
{
    app = builder.Build();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"mesh gateway: invalid configuration\n  {string.Join("\n  ", ex.Failures)}");
    return 2;
}

app.UseGateway();
await app.RunAsync();
return 0;
