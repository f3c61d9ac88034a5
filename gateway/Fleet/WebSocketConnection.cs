using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace MeshPortal.Gateway.Fleet;

/// <summary>
/// A SignalR transport over one client WebSocket: two pumps copy socket frames into the transport's
/// input pipe and the output pipe into text frames.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly CancellationTokenSource _aborted = new();
    private Task _pumps = Task.CompletedTask;

    public WebSocketConnection(ClientWebSocket socket)
    {
        _socket = socket;
        Transport = new Duplex(_input.Reader, _output.Writer);
    }

    public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public void Start() => _pumps = Task.WhenAll(ReceiveAsync(), SendAsync());

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _aborted.Cancel();
        _socket.Abort();
    }

    public override async ValueTask DisposeAsync()
    {
        // Completing the output lets the send pump close the socket politely; abort if the portal is slow to answer.
        await _output.Writer.CompleteAsync();
        try
        {
            await _pumps.WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
            Abort(new ConnectionAbortedException("the portal did not complete the close handshake"));
            await _pumps;
        }

        _socket.Dispose();
        _aborted.Dispose();
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(_input.Writer.GetMemory(), _aborted.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _input.Writer.Advance(result.Count);
                var flush = await _input.Writer.FlushAsync(_aborted.Token);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            // Handed to SignalR through the pipe: it reconnects and logs why.
            error = ex;
        }

        await _input.Writer.CompleteAsync(error);
    }

    private async Task SendAsync()
    {
        try
        {
            while (true)
            {
                var result = await _output.Reader.ReadAsync(_aborted.Token);
                await SendMessageAsync(result.Buffer);
                _output.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _aborted.Token);
            }
        }
        catch (Exception ex)
        {
            // The receive pump sees the broken socket too and reports it to SignalR.
            await _output.Reader.CompleteAsync(ex);
            return;
        }

        await _output.Reader.CompleteAsync();
    }

    /// <summary>
    /// SignalR flushes whole messages, so a read ends on a message boundary: sending it as one text
    /// message keeps multi-byte characters within one frame sequence, as WebSocket text requires.
    /// </summary>
    private async Task SendMessageAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        var position = buffer.Start;
        buffer.TryGet(ref position, out var segment);
        while (buffer.TryGet(ref position, out var next))
        {
            await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: false, _aborted.Token);
            segment = next;
        }

        await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
