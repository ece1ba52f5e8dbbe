/** Precision/recall/F1 of detected cut frames against labels, a detection matching a label within ±tolerance. */
export function matchCuts(detected: readonly number[], labels: readonly number[], tolerance = 1) {
  const used = new Set<number>();
  let tp = 0;
  for (const l of labels) {
    const hit = detected.findIndex((d, i) => !used.has(i) && Math.abs(d - l) <= tolerance);
    if (hit >= 0) {
      used.add(hit);
      tp++;
    }
  }
  const precision = detected.length === 0 ? 1 : tp / detected.length;
  const recall = labels.length === 0 ? 1 : tp / labels.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp: detected.length - tp, fn: labels.length - tp, precision, recall, f1 };
}
