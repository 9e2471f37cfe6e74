/**
 * The database's refusal of a statement, whichever driver reported it (drizzle wraps the driver's error in `cause`):
 * the messages of the error and its causes, or "accepted".
 */
export async function refusal(statement: Promise<unknown>): Promise<string> {
  const messages: string[] = [];
  await statement.catch((error) => {
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  });
  return messages.join(" | ") || "accepted";
}
