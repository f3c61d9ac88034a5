// Draws the reduced service graph (whole mesh, summary or neighbourhood) with cytoscape + fcose.
// Blazor owns the data and sends deltas; this applies them. Layout runs on the whole view only
// when the view is replaced (reset): the summary's is computed directly (topology-summary.js), the
// others by fcose. Nodes added later are placed next to a neighbour and laid out with every existing
// node pinned, so nothing already drawn moves when edges come and go.
import { graphLibraries } from './graph-libraries.js';
import { fitted, summaryPositions } from './topology-summary.js';

const colours = { healthy: '#2e9d57', degraded: '#e59b1b', failing: '#d93c3c', idle: '#9aa5b1', denied: '#8e44ad' };
const labelZoom = 1.1;
let cy = null;
let zoomed = false;
let warmed = false;

const style = [
  { selector: 'node', style: {
      'label': 'data(label)', 'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'wrap', 'font-size': 13,
      'font-weight': 600, 'shape': 'round-rectangle', 'width': 'data(w)', 'height': 'data(h)',
      'background-color': '#f3f5f8', 'border-width': 3, 'border-color': 'data(colour)', 'color': '#1f2a44', 'min-zoomed-font-size': 6 } },
  { selector: 'node.external', style: { 'shape': 'ellipse', 'background-color': '#5b6b82', 'color': '#fff' } },
  { selector: 'node.group', style: { 'background-color': '#dde5f4', 'border-style': 'double', 'border-width': 5, 'font-size': 15 } },
  { selector: 'node.focus', style: { 'background-color': '#fff6cc', 'border-width': 5 } },
  { selector: 'edge', style: {
      'curve-style': 'bezier', 'control-point-step-size': 40, 'target-arrow-shape': 'triangle', 'width': 'data(width)', 'line-color': 'data(colour)',
      'target-arrow-color': 'data(colour)', 'opacity': 0.8, 'font-size': 11, 'text-rotation': 'autorotate', 'min-zoomed-font-size': 8,
      'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': 2 } },
  // Edge labels only on hover, selection or close up, so they never pile on each other.
  { selector: 'edge.hover, edge:selected, edge.zoomed', style: { 'label': 'data(label)', 'opacity': 1, 'z-index': 10 } },
  // Calls an access policy refused: dashed and purple, apart from the health colours, with a bar at the target.
  { selector: 'edge.denied', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4], 'line-color': colours.denied,
      'target-arrow-color': colours.denied, 'target-arrow-shape': 'tee' } },
  { selector: ':selected', style: { 'border-color': '#3f6ad8', 'line-color': '#3f6ad8', 'target-arrow-color': '#3f6ad8' } },
];

// The first view arrives with init, in the same call, so the first draw waits for no further round trip.
export async function init(element, dotnet, json) {
  const cytoscape = await graphLibraries;
  // The page may have been left while the libraries loaded.
  if (!element.isConnected) return;
  cy = cytoscape({ container: element, style, wheelSensitivity: 0.3, minZoom: 0.25, maxZoom: 2.5, textureOnViewport: true });
  cy.on('tap', 'node, edge', evt => dotnet.invokeMethodAsync('Select', evt.target.isEdge() ? 'edge' : 'node', evt.target.id()));
  cy.on('dbltap', 'node', evt => dotnet.invokeMethodAsync('Select', 'open', evt.target.id()));
  cy.on('mouseover', 'edge', evt => evt.target.addClass('hover'));
  cy.on('mouseout', 'edge', evt => evt.target.removeClass('hover'));
  cy.on('zoom', () => {
    const next = cy.zoom() >= labelZoom;
    if (next !== zoomed) {
      zoomed = next;
      cy.batch(() => cy.edges().toggleClass('zoomed', zoomed));
    }
  });
  window.meshTopology = { cy: () => cy, version: 0, layoutMs: 0 };
  new ResizeObserver(() => cy?.resize()).observe(element);
  apply(json);
}

// Sized from the label here: cytoscape's own 'label' sizing is deprecated and, in the version
// served, leaves every node but one undrawn.
function nodeData(n) {
  const label = n.subsets ? `${n.label}\n${n.subsets}` : n.label;
  const lines = label.split('\n');
  const w = 24 + 8.5 * Math.max(...lines.map(l => l.length));
  const h = 20 + 17 * lines.length;
  return { id: n.id, label, w, h, colour: colours[n.health] ?? colours.idle };
}

function edgeData(e) {
  const what = e.edges > 1 ? `${e.edges} edges` : `${e.subset}${e.splitPercent < 100 ? ` ${e.splitPercent}%` : ''}`;
  return {
    id: e.id, source: e.source, target: e.target, colour: colours[e.health] ?? colours.idle,
    width: Math.min(8, 1.5 + Math.log2(1 + e.rps)),
    label: `${e.deniedRps > 0 ? `denied ${e.deniedRps} rps · ` : ''}${what} · ${e.rps} rps · ${+(e.errorRate * 100).toFixed(2)}% · p99 ${e.p99} ms`,
  };
}

const edgeClasses = e => [zoomed ? 'zoomed' : '', e.deniedRps > 0 ? 'denied' : ''].join(' ');

const nodeClasses = n => [n.kind, n.focus ? 'focus' : ''].join(' ');

// delta: the JSON of a TopologyDelta (same serializer as the API: camelCase, enums as strings).
export function apply(json) {
  if (!cy) return;
  const delta = JSON.parse(json);
  const summary = delta.reset && delta.mode === 'summary' ? arrangeSummary(delta) : null;
  let added = cy.collection();
  cy.batch(() => {
    if (delta.reset) cy.elements().remove();
    for (const id of delta.removedEdges) cy.getElementById(id).remove();
    for (const id of delta.removedNodes) cy.getElementById(id).remove();
    const fresh = [];
    for (const n of delta.nodes) {
      const el = cy.getElementById(n.id);
      if (el.nonempty()) el.data(nodeData(n)).classes(nodeClasses(n));
      else fresh.push({ group: 'nodes', data: nodeData(n), classes: nodeClasses(n), position: summary?.positions[n.id] });
    }
    added = cy.add(fresh);
    const edges = [];
    for (const e of delta.edges) {
      const el = cy.getElementById(e.id);
      if (el.nonempty()) el.data(edgeData(e)).classes(edgeClasses(e));
      else edges.push({ group: 'edges', data: edgeData(e), classes: edgeClasses(e) });
    }
    cy.add(edges);
  });
  if (delta.reset) {
    cy.resize();
    if (summary) fitSummary(summary);
    else layout(cy.elements(), true);
  }
  else if (added.nonempty()) place(added);
  window.meshTopology.version++;
}

function layout(elements, fit) {
  const started = performance.now();
  const options = { name: 'fcose', quality: 'default', randomize: true, animate: false, fit, padding: 30,
    nodeDimensionsIncludeLabels: true, idealEdgeLength: 170, nodeRepulsion: 8000, packComponents: true };
  elements.layout(options).run();
  window.meshTopology.layoutMs = performance.now() - started;
}

// The summary's positions come before its nodes are added, so no layout runs over them afterwards.
function arrangeSummary(delta) {
  const started = performance.now();
  const nodes = delta.nodes.map(n => ({ ...nodeData(n), isGroup: n.kind === 'group' }));
  return { nodes, positions: summaryPositions(nodes, delta.edges.map(edgeData)), started };
}

// Fitted from the nodes' own sizes: cy.fit would measure every label and every edge's curve first.
function fitSummary({ nodes, positions, started }) {
  if (nodes.length > 0) cy.viewport(fitted(nodes, positions, cy.width(), cy.height(), 30, cy.minZoom(), cy.maxZoom()));
  window.meshTopology.layoutMs = performance.now() - started;
  warmFcose();
}

// The summary draws without fcose, so its first run would fall on the first search, in a cold tab.
// One small run while the tab is idle compiles its code before anyone asks for a neighbourhood.
function warmFcose() {
  if (warmed) return;
  warmed = true;
  const idle = window.requestIdleCallback ?? (run => setTimeout(run, 200));
  idle(() => {
    const elements = [];
    for (let i = 0; i < 8; i++) elements.push({ data: { id: `n${i}` } }, { data: { id: `e${i}`, source: `n${i}`, target: `n${(i + 1) % 8}` } });
    const scratch = window.cytoscape({ headless: true, elements });
    scratch.layout({ name: 'fcose', quality: 'default', randomize: true, animate: false }).run();
    scratch.destroy();
  });
}

// New nodes start beside a neighbour already drawn; the rest stay exactly where they are.
function place(added) {
  const pinned = cy.nodes().difference(added);
  if (pinned.empty()) {
    layout(cy.elements(), true);
    return;
  }
  const centre = pinned.boundingBox();
  added.forEach(node => {
    const anchor = node.neighborhood('node').difference(added).first();
    const at = anchor.nonempty() ? anchor.position() : { x: centre.x2 + 60, y: (centre.y1 + centre.y2) / 2 };
    node.position({ x: at.x + 40 + Math.random() * 40, y: at.y + (Math.random() - 0.5) * 80 });
  });
  const started = performance.now();
  cy.layout({ name: 'fcose', quality: 'default', randomize: false, animate: false, fit: false, nodeDimensionsIncludeLabels: true,
    idealEdgeLength: 170, nodeRepulsion: 8000,
    fixedNodeConstraint: pinned.map(n => ({ nodeId: n.id(), position: { ...n.position() } })) }).run();
  window.meshTopology.layoutMs = performance.now() - started;
}

export function dispose() {
  cy?.destroy();
  cy = null;
  zoomed = false;
}
