using MeshPortal.Bench.Common;
using MeshPortal.Bench.Runner.DataPlane;
using MeshPortal.Bench.Runner.Infra;

namespace MeshPortal.Bench.Runner.Stack;

/// <summary>
/// The proxies the gateway is held against, each an equivalent reverse proxy to the same backend with
/// upstream keep-alive on, tuned as their documentation suggests for this box: one worker or
/// thread per core, no access log.
/// </summary>
internal static class Peers
{
    public static async Task<Target> StartNginxAsync(MeshStack stack, Settings settings, string backendUrl, CancellationToken ct)
    {
        var port = Ports.Free();
        var prefix = Directory.CreateDirectory(Path.Combine(settings.WorkDirectory, "nginx")).FullName;
        var conf = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream backend {
                    server {{new Uri(backendUrl).Authority}};
                    keepalive 128;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """, ct);
        var nginx = stack.Track(ChildProcess.Start("nginx", settings.WorkDirectory, "nginx", ["-p", prefix, "-c", conf]));
        await Wait.HttpOkAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(20), nginx, ct);
        return new Target("nginx", $"http://127.0.0.1:{port}", nginx.Id);
    }

    public static async Task<Target> StartHaproxyAsync(MeshStack stack, Settings settings, string backendUrl, CancellationToken ct)
    {
        var port = Ports.Free();
        var conf = Path.Combine(settings.WorkDirectory, "haproxy.cfg");
        await File.WriteAllTextAsync(conf, $"""
            global
                nbthread {Environment.ProcessorCount}
                maxconn 4096
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
                http-reuse always
            frontend bench
                bind 127.0.0.1:{port}
                default_backend backend
            backend backend
                server b1 {new Uri(backendUrl).Authority}
            """ + "\n", ct);
        var haproxy = stack.Track(ChildProcess.Start("haproxy", settings.WorkDirectory, "haproxy", ["-f", conf, "-db"]));
        await Wait.HttpOkAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(20), haproxy, ct);
        return new Target("haproxy", $"http://127.0.0.1:{port}", haproxy.Id);
    }

    public static async Task<Target> StartPlainYarpAsync(MeshStack stack, Settings settings, string backendUrl, CancellationToken ct)
    {
        var url = Ports.FreeUrl();
        var yarp = stack.Track(ChildProcess.StartDotnet("plain-yarp", settings.WorkDirectory,
            settings.Dll("bench/PlainYarp", "MeshPortal.Bench.PlainYarp"), ["--urls", url, "--backend", backendUrl]));
        await Wait.HttpOkAsync($"{url}/", TimeSpan.FromSeconds(60), yarp, ct);
        return new Target("plain YARP", url, yarp.Id);
    }
}
