/**
 * A coach's edited copy per kind of message. Every query takes the CoachScope first; a kind with
 * no row uses its default copy, so "reset to default" is a delete.
 */
import { and, eq } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import type { NotificationKind } from "../notifications/kinds";
import { notificationTemplates } from "./schema";

export type StoredTemplate = { subject: string; body: string; updatedAt: Date };

export async function getTemplate(
  scope: CoachScope,
  kind: NotificationKind,
): Promise<StoredTemplate | null> {
  const row = await scope.db.query.notificationTemplates.findFirst({
    where: and(
      eq(notificationTemplates.coachId, scope.coachId),
      eq(notificationTemplates.kind, kind),
    ),
    columns: { subject: true, body: true, updatedAt: true },
  });
  return row ?? null;
}

/** The kinds this coach has edited. */
export async function editedKinds(scope: CoachScope): Promise<Set<string>> {
  const rows = await scope.db
    .select({ kind: notificationTemplates.kind })
    .from(notificationTemplates)
    .where(eq(notificationTemplates.coachId, scope.coachId));
  return new Set(rows.map((r) => r.kind));
}

export async function saveTemplate(
  scope: CoachScope,
  kind: NotificationKind,
  copy: { subject: string; body: string },
): Promise<StoredTemplate> {
  const now = new Date();
  const [row] = await scope.db
    .insert(notificationTemplates)
    .values({ id: newId("ntp"), coachId: scope.coachId, kind, ...copy, updatedAt: now })
    .onConflictDoUpdate({
      target: [notificationTemplates.coachId, notificationTemplates.kind],
      set: { ...copy, updatedAt: now },
    })
    .returning({
      subject: notificationTemplates.subject,
      body: notificationTemplates.body,
      updatedAt: notificationTemplates.updatedAt,
    });
  if (!row) throw new Error("notification template upsert returned no row");
  return row;
}

export async function deleteTemplate(scope: CoachScope, kind: NotificationKind): Promise<void> {
  await scope.db
    .delete(notificationTemplates)
    .where(
      and(eq(notificationTemplates.coachId, scope.coachId), eq(notificationTemplates.kind, kind)),
    );
}
