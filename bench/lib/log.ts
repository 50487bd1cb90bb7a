/** Progress and information go to stderr: stdout carries only the final JSON result. */
export function info(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
