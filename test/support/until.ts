/**
 * Resolves once `condition` holds, looking again every few milliseconds; rejects, naming `what`, if
 * `ended` settles first (the process that was to make it hold exited). There is no deadline of its
 * own: however busy the machine, the wait lasts as long as the process does (or, without `ended`,
 * until the test's own timeout).
 */
export async function until(
  condition: () => boolean,
  ended: Promise<unknown> = new Promise(() => {}),
  what = "the condition held",
): Promise<void> {
  let exited = false;
  void ended.then(
    () => (exited = true),
    () => (exited = true),
  );
  for (;;) {
    if (condition()) return;
    if (exited) throw new Error(`the process exited before ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
