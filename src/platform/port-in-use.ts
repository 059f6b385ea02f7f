/**
 * A listening port already taken ends the process: exit 1 with one line naming the port, the
 * address and the variable that sets it (never a stack trace, never "listening"). For every
 * process that listens (REST in main.ts; the KME, wherever it runs).
 */
export function exitIfPortInUse(error: unknown, ports: Record<string, number>, host: string): void {
  const err = error as NodeJS.ErrnoException & { port?: number };
  if (err?.code !== 'EADDRINUSE') return;
  const entry = Object.entries(ports).find(([, p]) => p === err.port) ?? Object.entries(ports)[0]!;
  const [variable, port] = entry;
  process.stderr.write(
    `qkdsat: port ${err.port ?? port} on ${host} is in use (${variable}); ` +
      `stop the other process or set ${variable} to a free port\n`,
  );
  process.exit(1);
}
