/** The series palette, shared by the charts and tables so that one event type keeps one colour. */
export const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563'] as const;

/** The colour of the `index`-th series. */
export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
