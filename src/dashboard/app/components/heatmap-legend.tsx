/** The colours of a heat map's statuses, drawn with the same cell classes as the map itself. */
export function HeatmapLegend({
  items,
}: {
  items: ReadonlyArray<[status: string, label: string]>;
}) {
  return (
    <p class="legend" data-testid="legend">
      {items.map(([status, label]) => (
        <span key={status}>
          <span class={`cell day-${status.toLowerCase()}`} /> {label}
        </span>
      ))}
    </p>
  );
}
