using MeshPortal.Portal.Lists;
using MeshPortal.Portal.Telemetry;

namespace MeshPortal.Portal.Components.Pages;

/// <summary>The edge table under the graph: paged, and showing the selected service's edges when one is selected.</summary>
public sealed partial class Topology
{
    private const int PageSize = 20;
    private int _tablePage;

    /// <summary>The last sorted table and what it was sorted from: one render reads it about ten times.</summary>
    private (string? Node, TopologyView View, TopologyGraph Graph, IReadOnlyList<ViewEdge> Edges)? _table;

    /// <summary>The selected service's own edges (callers and callees, from the full graph), else the drawn ones; failing first.</summary>
    private IReadOnlyList<ViewEdge> TableEdges
    {
        get
        {
            if (_table is { } t && t.Node == _selectedNode && ReferenceEquals(t.View, _view) && ReferenceEquals(t.Graph, _graph))
            {
                return t.Edges;
            }

            var edges = _selectedNode is { } id && !id.StartsWith(TopologyReducer.GroupPrefix, StringComparison.Ordinal)
                ? _graph.Edges.Where(e => e.Source == id || e.Target == id).Select(TopologyReducer.Edge)
                : _view.Edges;
            IReadOnlyList<ViewEdge> sorted = [.. edges.OrderByDescending(e => e.Health).ThenBy(e => e.Id, NaturalComparer.Instance)];
            _table = (_selectedNode, _view, _graph, sorted);
            return sorted;
        }
    }

    private IEnumerable<ViewEdge> TablePage => TableEdges.Skip(Math.Min(_tablePage, LastPage) * PageSize).Take(PageSize);

    private int LastPage => Math.Max(0, (TableEdges.Count - 1) / PageSize);

    private string TableTitle => _selectedNode is { } id && !id.StartsWith(TopologyReducer.GroupPrefix, StringComparison.Ordinal)
        ? $"Edges of {id}"
        : "Edges";

    private string PageLabel => TableEdges.Count == 0
        ? "no edges"
        : $"{Math.Min(_tablePage, LastPage) * PageSize + 1}–{Math.Min(TableEdges.Count, (Math.Min(_tablePage, LastPage) + 1) * PageSize)} of {TableEdges.Count}";

    /// <summary>Selecting an edge turns the table to the page that holds it.</summary>
    private void SelectEdge(string id)
    {
        _selectedEdge = id;
        var index = TableEdges.Select(e => e.Id).ToList().IndexOf(id);
        if (index < 0)
        {
            _selectedNode = null;
            index = TableEdges.Select(e => e.Id).ToList().IndexOf(id);
        }

        _tablePage = Math.Max(0, index) / PageSize;
    }
}
