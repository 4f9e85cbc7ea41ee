/** Whether a process of this machine is running (a signal 0 reaches it, or it exists but is not ours to signal). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
