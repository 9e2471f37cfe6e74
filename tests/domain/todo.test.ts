import { describe, expect, it } from "vitest";
import { obligationTodos } from "~/domain/todo";

const at = (day: string) => new Date(`${day}T23:00:00Z`);
const item = (kind: "bilan" | "forecast" | "comite_meeting", key: string, day: string, extra = {}) => ({
  kind,
  key,
  subject: `Sujet ${key}`,
  url: `/page/${key}`,
  dueAt: at(day),
  status: "due" as const,
  ...extra,
});

describe("home to-do list", () => {
  it("keeps a single obligation as it is, counts several of a kind under its label, nearest deadline first", () => {
    expect(
      obligationTodos([
        item("bilan", "b1", "2026-02-27"),
        item("bilan", "b2", "2026-02-20", { status: "late" }),
        item("forecast", "f", "2026-01-30"),
      ]),
    ).toEqual([
      { key: "f", title: "Sujet f", count: 1, dueAt: at("2026-01-30"), late: false, url: "/page/f" },
      {
        key: "bilan",
        title: "Bilan annuel aux réservataires",
        count: 2,
        dueAt: at("2026-02-20"),
        late: true,
        url: "/calendrier",
      },
    ]);
  });

  it("leaves out what is done and the comité's meetings (events, not tasks)", () => {
    expect(
      obligationTodos([
        item("bilan", "b1", "2026-02-27", { status: "done" }),
        item("bilan", "b2", "2026-02-27", { status: "done_late" }),
        item("comite_meeting", "c", "2026-03-27", { event: true }),
      ]),
    ).toEqual([]);
  });
});
