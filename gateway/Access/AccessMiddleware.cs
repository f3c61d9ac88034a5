using MeshPortal.Gateway.Proxy;
using MeshPortal.Gateway.State;

namespace MeshPortal.Gateway.Access;

/// <summary>
/// Runs right after the split chose the backend, so a policy is judged for the service that would
/// actually be called: a caller the policy does not admit gets 403 and the backend is never called.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AppliedConfig applied)
{
    public Task InvokeAsync(HttpContext context)
    {
        var mesh = context.Features.Get<MeshRequestFeature>();
        if (mesh?.Backend is not { } backend
            || applied.Current?.Access.Refusing(backend.Service, mesh.Caller.Principal) is not { } policy)
        {
            return next(context);
        }

        mesh.Denied = true;
        return AccessDenied.WriteAsync(context, backend.Service, mesh.Caller, policy);
    }
}
