using Microsoft.AspNetCore.Components;

namespace MeshPortal.Portal.Components.Routing;

public sealed partial class SplitEditor
{
    private string? _toAdd;

    [Parameter, EditorRequired]
    public RouteForm Form { get; set; } = default!;

    [Parameter]
    public IReadOnlyList<string> Addable { get; set; } = [];

    [Parameter]
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    /// <summary>Raised after every change to the split, so the page validates and previews it.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private Task SetWeightAsync(int index, int value)
    {
        Apply(SplitBalancer.Set([.. Form.Split.Select(r => r.Percent)], [.. Form.Split.Select(r => r.Locked)], index, value));
        return Changed.InvokeAsync();
    }

    private Task SplitEvenlyAsync()
    {
        Apply(SplitBalancer.Even([.. Form.Split.Select(r => r.Percent)], [.. Form.Split.Select(r => r.Locked)]));
        return Changed.InvokeAsync();
    }

    private static void SetLocked(SplitRow row, bool locked) => row.Locked = locked;

    private Task AddAsync()
    {
        if (_toAdd?.Split('/') is [var service, var subset])
        {
            Form.Split.Add(new SplitRow { Service = service, Subset = subset, Percent = 0 });
        }

        _toAdd = null;
        return Changed.InvokeAsync();
    }

    /// <summary>The removed subset's share goes to the others, so the split still adds up to 100%.</summary>
    private Task RemoveAsync(SplitRow row)
    {
        Form.Split.Remove(row);
        return Form.Split.Count > 0 ? SetWeightAsync(0, Form.Split[0].Percent) : Changed.InvokeAsync();
    }

    private void Apply(int[] weights)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            Form.Split[i].Percent = weights[i];
        }
    }
}
