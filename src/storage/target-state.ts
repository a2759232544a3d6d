/** What we last saw of a target: reachable (null before the first attempt), and the last error. */
export interface TargetState {
  reachable: boolean | null;
  error: string | null;
  checkedAt: Date | null;
}
