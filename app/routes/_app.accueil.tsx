import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { requireActor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { todosOf } from "~/models/home.server";
import type { loader as appLoader } from "./_app";

export const meta: MetaFunction = () => [{ title: "Accueil — Portail flux MEL" }];

/** What waits for the user, nearest deadline first. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const todos = await todosOf(actor);
  return {
    // Deadlines are exclusive instants: the page shows the last day still on time.
    todos: todos.map(({ dueAt, ...todo }) => ({
      ...todo,
      lastDay: dueAt ? new Date(dueAt.getTime() - 1).toISOString() : null,
    })),
  };
}

export default function HomePage() {
  const data = useRouteLoaderData<typeof appLoader>("routes/_app");
  const { todos } = useLoaderData<typeof loader>();
  if (!data) return null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Bonjour {data.user.name}</h1>
        <p className="text-muted-foreground">
          Vous agissez pour <strong>{data.organisation.name}</strong> ({data.organisation.kindLabel}).
        </p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>À faire</CardTitle>
        </CardHeader>
        <CardContent>
          {todos.length === 0 ? (
            <p>Rien ne vous attend pour l'instant.</p>
          ) : (
            <ul className="divide-y divide-border">
              {todos.map((todo) => (
                <li key={todo.key} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <div>
                    <Link to={todo.url} className="font-medium underline">
                      {todo.title}
                    </Link>
                    {todo.lastDay && (
                      <p className={todo.late ? "text-sm text-destructive" : "text-sm text-muted-foreground"}>
                        {todo.late ? "En retard : échéance du " : "Avant le "}
                        {formatParis(todo.lastDay, "d MMMM yyyy")}
                        {todo.count > 1 && " (la plus proche)"}
                      </p>
                    )}
                  </div>
                  <Badge>{todo.count} à faire</Badge>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
