// Draws the service graph with cytoscape + dagre. Blazor owns the data; this only renders it,
// re-running the layout only when the set of nodes or edges changes so the graph does not jump.
const colours = { Healthy: '#2e9d57', Degraded: '#e59b1b', Failing: '#d93c3c', Idle: '#9aa5b1' };
let cy = null;
let shape = '';

export function init(element, dotnet) {
  cytoscape.use(cytoscapeDagre);
  cy = cytoscape({
    container: element,
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: {
          'label': 'data(label)', 'text-valign': 'center', 'color': '#fff', 'font-size': 12, 'font-weight': 600,
          'background-color': 'data(colour)', 'shape': 'round-rectangle', 'width': 'label', 'height': 28, 'padding': '10px' } },
      { selector: 'node.service', style: {
          'background-color': '#f3f5f8', 'background-opacity': 0.9, 'border-width': 2, 'border-color': 'data(colour)',
          'color': '#1f2a44', 'text-valign': 'top', 'text-halign': 'center', 'font-size': 14, 'padding': '14px' } },
      { selector: 'node.external', style: { 'shape': 'ellipse', 'background-color': '#5b6b82' } },
      { selector: 'edge', style: {
          'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 'data(width)', 'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)', 'label': 'data(label)', 'font-size': 10, 'text-rotation': 'autorotate',
          'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 2 } },
      { selector: ':selected', style: { 'border-width': 3, 'border-color': '#3f6ad8', 'line-color': '#3f6ad8', 'target-arrow-color': '#3f6ad8' } },
    ],
  });
  cy.on('tap', 'node, edge', evt => dotnet.invokeMethodAsync('Select', evt.target.isEdge() ? 'edge' : 'node', evt.target.id()));
  window.meshTopology = { cy: () => cy };
}

export function update(graph) {
  if (!cy) return;
  const elements = [];
  for (const node of graph.nodes) {
    const colour = colours[node.health] ?? colours.Idle;
    elements.push({ group: 'nodes', data: { id: node.id, label: node.id, colour }, classes: node.external ? 'external' : 'service' });
    for (const subset of node.subsets) {
      const traffic = graph.edges.filter(e => e.target === node.id && e.subset === subset);
      const worst = ['Failing', 'Degraded', 'Healthy'].find(h => traffic.some(e => e.health === h)) ?? 'Idle';
      elements.push({ group: 'nodes', data: { id: `${node.id}/${subset}`, parent: node.id, label: subset, colour: colours[worst] } });
    }
  }
  for (const edge of graph.edges) {
    const target = graph.nodes.some(n => n.id === edge.target && n.subsets.includes(edge.subset)) ? `${edge.target}/${edge.subset}` : edge.target;
    const split = edge.splitPercent < 100 ? `${edge.splitPercent}% · ` : '';
    elements.push({ group: 'edges', data: {
      id: `${edge.source}->${edge.target}/${edge.subset}`, source: edge.source, target, colour: colours[edge.health] ?? colours.Idle,
      width: Math.min(8, 1.5 + Math.log2(1 + edge.rps)),
      label: `${split}${edge.rps.toFixed(1)} rps · ${(edge.errorRate * 100).toFixed(1)}% err · p99 ${edge.p99} ms` } });
  }
  const nextShape = elements.map(e => e.data.id).sort().join('|');
  if (nextShape !== shape) {
    cy.elements().remove();
    cy.add(elements.filter(e => e.group === 'nodes'));
    cy.add(elements.filter(e => e.group === 'edges' && cy.getElementById(e.data.source).nonempty() && cy.getElementById(e.data.target).nonempty()));
    cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 40, rankSep: 120, padding: 30 }).run();
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
