// Draws the service graph with cytoscape + dagre. Blazor owns the data; this only renders it,
// re-running the layout only when the set of nodes or edges changes so the graph does not jump.
const colours = { healthy: '#2e9d57', degraded: '#e59b1b', failing: '#d93c3c', idle: '#9aa5b1' };
let cy = null;
let shape = '';

export function init(element, dotnet) {
  cytoscape.use(cytoscapeDagre);
  cy = cytoscape({
    container: element,
    wheelSensitivity: 0.3,
    maxZoom: 1.6,
    style: [
      { selector: 'node', style: {
          'label': 'data(label)', 'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'wrap', 'font-size': 13,
          'font-weight': 600, 'shape': 'round-rectangle', 'width': 'label', 'height': 'label', 'padding': '12px',
          'background-color': '#f3f5f8', 'border-width': 3, 'border-color': 'data(colour)', 'color': '#1f2a44' } },
      { selector: 'node.external', style: { 'shape': 'ellipse', 'background-color': '#5b6b82', 'color': '#fff', 'border-width': 0 } },
      { selector: 'edge', style: {
          'curve-style': 'bezier', 'control-point-step-size': 60, 'target-arrow-shape': 'triangle', 'width': 'data(width)', 'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)', 'label': 'data(label)', 'font-size': 12, 'text-rotation': 'autorotate',
          'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 2 } },
      { selector: ':selected', style: { 'border-width': 3, 'border-color': '#3f6ad8', 'line-color': '#3f6ad8', 'target-arrow-color': '#3f6ad8' } },
    ],
  });
  cy.on('tap', 'node, edge', evt => dotnet.invokeMethodAsync('Select', evt.target.isEdge() ? 'edge' : 'node', evt.target.id()));
  window.meshTopology = { cy: () => cy };
  new ResizeObserver(() => { cy?.resize(); cy?.fit(undefined, 30); }).observe(element);
}

// graph: the JSON of GET /api/topology (one serializer for API and page, enums as strings).
export function update(json) {
  if (!cy) return;
  const graph = JSON.parse(json);
  const elements = [];
  for (const node of graph.nodes) {
    const label = node.subsets.length ? `${node.id}\n${node.subsets.join(' · ')}` : node.id;
    elements.push({ group: 'nodes', data: { id: node.id, label, colour: colours[node.health] ?? colours.idle }, classes: node.external ? 'external' : 'service' });
  }
  for (const edge of graph.edges) {
    const split = edge.splitPercent < 100 ? ` ${edge.splitPercent}%` : '';
    elements.push({ group: 'edges', data: {
      id: `${edge.source}->${edge.target}/${edge.subset}`, source: edge.source, target: edge.target,
      colour: colours[edge.health] ?? colours.idle, width: Math.min(8, 1.5 + Math.log2(1 + edge.rps)),
      label: `${edge.subset}${split} · ${edge.rps.toFixed(1)} rps · ${(edge.errorRate * 100).toFixed(1)}% · p99 ${edge.p99} ms` } });
  }
  const nextShape = elements.map(e => e.data.id).sort().join('|');
  if (nextShape !== shape) {
    cy.elements().remove();
    cy.add(elements);
    cy.resize();
    cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 60, rankSep: 200, edgeSep: 30, fit: true, padding: 30 }).run();
    shape = nextShape;
  } else {
    for (const e of elements) cy.getElementById(e.data.id).data(e.data);
  }
}

export function dispose() {
  cy?.destroy();
  cy = null;
  shape = '';
}
