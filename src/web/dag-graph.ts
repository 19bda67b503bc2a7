import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import elk from 'cytoscape-elk';

cytoscape.use(elk);

/** A node of a drawn DAG: `kind` picks its style (`file`, `op`, `samples`, `row`, `erased`, `more`). */
export interface DagNode {
  id: string;
  label: string;
  kind: string;
  parent?: string;
}

/** An edge of a drawn DAG. */
export interface DagEdge {
  from: string;
  to: string;
}

const style: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'text-valign': 'center',
      'text-halign': 'center',
      'text-wrap': 'wrap',
      'text-max-width': '130px',
      width: 140,
      height: 34,
      shape: 'round-rectangle',
      'background-color': '#dfe8f7',
      'border-width': 1,
      'border-color': '#7d94bd',
    },
  },
  { selector: 'node[kind = "file"]', style: { 'background-color': '#fdf1d8', 'border-color': '#c79a3a' } },
  { selector: 'node[kind = "samples"]', style: { 'background-color': '#dcf1e3', 'border-color': '#4f9a6a' } },
  { selector: 'node[kind = "row"]', style: { width: 110, height: 22, 'font-size': 10 } },
  {
    selector: 'node[kind = "erased"]',
    style: { width: 110, height: 22, label: '', 'background-color': '#c9ced6', 'border-color': '#aab' },
  },
  { selector: 'node[kind = "more"]', style: { width: 110, height: 22, 'background-color': '#fff' } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f0a020' } },
  {
    selector: 'edge',
    style: {
      width: 1.4,
      'line-color': '#9aa5b5',
      'target-arrow-color': '#9aa5b5',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
    },
  },
];

/**
 * Draws a DAG into `container` with cytoscape on its canvas renderer (not WebGL), laid out left
 * to right by ELK's layered algorithm. The container gets `data-nodes` (the number of nodes
 * drawn) and `data-laid-out` once the layout has run. `onSelect` is called with a tapped node.
 */
export function drawDag(
  container: HTMLElement,
  nodes: DagNode[],
  edges: DagEdge[],
  onSelect?: (id: string) => void,
): Core {
  const ids = new Set(nodes.map((n) => n.id));
  const elements: ElementDefinition[] = [
    ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.label, kind: n.kind } })),
    ...edges
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .map((e, i) => ({ group: 'edges' as const, data: { id: `e${i}`, source: e.from, target: e.to } })),
  ];
  // The canvas renderer, named explicitly (cytoscape's types do not list the option).
  const cy = cytoscape({
    container,
    elements,
    style,
    renderer: { name: 'canvas' },
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
  } as cytoscape.CytoscapeOptions);
  container.dataset.nodes = String(cy.nodes().length);
  const layout = cy.layout({
    name: 'elk',
    fit: true,
    padding: 16,
    elk: {
      algorithm: 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': 40,
      'elk.spacing.nodeNode': 14,
    },
  } as cytoscape.LayoutOptions);
  layout.one('layoutstop', () => {
    container.dataset.laidOut = 'true';
  });
  layout.run();
  if (onSelect) cy.on('tap', 'node', (event) => onSelect(event.target.id()));
  return cy;
}
