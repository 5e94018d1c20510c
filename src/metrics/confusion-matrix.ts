/** counts[t][p] = examples of true class t predicted as class p. */
export function confusionMatrix(labels: Int32Array, predictions: Int32Array, numClasses: number): number[][] {
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  labels.forEach((label, i) => counts[label][predictions[i]]++);
  return counts;
}
