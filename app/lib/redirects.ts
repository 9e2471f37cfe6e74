/** Only same-site paths: never an open redirect to another host. */
export function safeRedirect(
  target: FormDataEntryValue | string | null | undefined,
  fallback = "/accueil",
): string {
  if (
    typeof target !== "string" ||
    !target.startsWith("/") ||
    target.startsWith("//") ||
    target.startsWith("/\\")
  )
    return fallback;
  return target;
}
