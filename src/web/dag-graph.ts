import cytoscape, { type ElementDefinition } from 'cytoscape';
import elk from 'cytoscape-elk';
import { layeredLayout } from '../workbench/layered-layout.js';
import { drawDagOnCanvas } from './dag-canvas.js';

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

/** Above this many nodes the page lays the DAG out itself and draws it on a plain canvas. */
const elkNodeLimit = 150;

/** Node sizes in pixels, as the style draws them (rows, erased rows and "more" are smaller). */
function nodeSize(kind: string): { width: number; height: number } {
  return kind === 'row' || kind === 'erased' || kind === 'more'
    ? { width: 110, height: 22 }
    : { width: 140, height: 34 };
}

/**
 * Draws a DAG into `container` on a 2D canvas (not WebGL), layered left to right. Up to
 * {@link elkNodeLimit} nodes: cytoscape, laid out by ELK's layered algorithm. Above (a run's
 * lineage DAG can have thousands of ops; ELK and cytoscape's per-element styles took 4.9 s for
 * 2,000 nodes): {@link layeredLayout} (linear time) drawn by {@link drawDagOnCanvas}. The
 * container gets `data-nodes` (the number of nodes drawn) and `data-laid-out` once the laid-out
 * DAG has been drawn (cytoscape's first `render` after the layout; the canvas's first frame on
 * screen). `onSelect` is called with a clicked node.
 */
export function drawDag(
  container: HTMLElement,
  nodes: DagNode[],
  edges: DagEdge[],
  onSelect?: (id: string) => void,
): void {
  const ids = new Set(nodes.map((n) => n.id));
  const drawnEdges = edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  container.dataset.nodes = String(ids.size);
  const laidOut = () => {
    container.dataset.laidOut = 'true';
  };
  if (ids.size > elkNodeLimit) {
    const sized = nodes.map((n) => ({ ...n, ...nodeSize(n.kind) }));
    const { positions } = layeredLayout(sized, drawnEdges);
    const placed = sized.map((n) => ({ ...n, ...(positions.get(n.id) ?? { x: 0, y: 0 }) }));
    drawDagOnCanvas(container, placed, drawnEdges, { padding: 16, onSelect, onDrawn: laidOut });
    return;
  }
  const elements: ElementDefinition[] = [
    ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.label, kind: n.kind } })),
    ...drawnEdges.map((e, i) => ({
      group: 'edges' as const,
      data: { id: `e${i}`, source: e.from, target: e.to },
    })),
  ];
  // The canvas renderer, named explicitly (cytoscape's types do not list the option); no
  // default grid layout before ELK's.
  const cy = cytoscape({
    container,
    elements,
    style,
    renderer: { name: 'canvas' },
    layout: { name: 'preset', fit: false },
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
  } as cytoscape.CytoscapeOptions);
  if (onSelect) cy.on('tap', 'node', (event) => onSelect(event.target.id()));
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
  layout.one('layoutstop', () => cy.one('render', laidOut));
  layout.run();
}
