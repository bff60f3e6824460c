/** Pages whose features are still being built say so, and what will appear there. */
import { EmptyState } from "../components/feedback";

export function ComingSoonPage({ title, description }: { title: string; description: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <EmptyState>{description}</EmptyState>
    </section>
  );
}
