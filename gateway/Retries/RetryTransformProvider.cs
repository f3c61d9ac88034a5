using MeshPortal.Gateway.Proxy;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MeshPortal.Gateway.Retries;

/// <summary>
/// On routes with retries, looks at each backend response before YARP copies its body: a retryable
/// status that gets a retry has its body dropped, so the response is still unsent and can be retried.
/// </summary>
internal sealed class RetryTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.ContainsKey(ProxyConfigTranslator.RetriesMetadataKey) == true)
        {
            context.AddResponseTransform(HoldBackRetryable);
        }
    }

    private static ValueTask HoldBackRetryable(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response
            && context.HttpContext.Features.Get<MeshRequestFeature>()?.Retry is { } attempt
            && attempt.TryClaim((int)response.StatusCode))
        {
            context.SuppressResponseBody = true;
        }

        return ValueTask.CompletedTask;
    }
}
