import { Card, CardContent, CardDescription, CardHeader } from "./ui/card";

/** The frame of the pages seen before logging in (login, invitation, password reset). */
export function PublicCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-md">
        <CardHeader>
          {/* The page's h1 itself (an h1 inside CardTitle's h2 is re-parented by the browser: hydration fails). */}
          <h1 className="text-lg font-semibold leading-none tracking-tight">{title}</h1>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </main>
  );
}
