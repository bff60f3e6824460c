/**
 * Pick a session type, a day and a time (in the client's zone, changeable), answer the coach's
 * questions, confirm — then a success page with calendar links and a manage link. Every step has its
 * loading, empty and error state; a time taken meanwhile brings fresh times at once.
 */
import { useEffect, useState } from "preact/hooks";
import {
  type Booking,
  book,
  type Coach,
  type EventType,
  getCoach,
  getFormToken,
  getSlots,
  type Problem,
  type Result,
} from "./api";
import { emit, onPrefill } from "./embed";
import { allTimeZones, byDay, dayLabel, detectedTimeZone, fullLabel, timeLabel } from "./format";
import { Questions } from "./questions";
import { humanToken } from "./turnstile";

const params = new URLSearchParams(location.search);
const TRACKING = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_content",
  "utm_term",
  "referrer",
];
const tracking = Object.fromEntries(
  TRACKING.flatMap((k) => (params.get(k) ? [[k, params.get(k) as string]] : [])),
);
// The worker renders the heading into the HTML (worker/routes/booking-pages.ts) so the page's
// largest text paints before this script runs; the loading state keeps it in place.
const bootName = document.getElementById("book")?.dataset.coachName ?? null;

export function BookingFlow({ coachSlug, typeSlug }: { coachSlug: string; typeSlug?: string }) {
  const [coach, setCoach] = useState<Coach | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [type, setType] = useState<EventType | null>(null);
  const [slot, setSlot] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [timeZone, setTimeZone] = useState(detectedTimeZone());
  const [fresh, setFresh] = useState<string[] | null>(null);

  const load = () => {
    setProblem(null);
    getCoach(coachSlug)
      .then((c) => {
        setCoach(c);
        const chosen = c.eventTypes.find((t) => t.slug === typeSlug) ?? null;
        setType(chosen ?? (c.eventTypes.length === 1 ? (c.eventTypes[0] ?? null) : null));
        emit("viewed", { coach: c.coach.slug, eventType: chosen?.slug ?? null });
      })
      .catch((p: Problem) => {
        setProblem(p);
        emit("error", { stage: "profile", message: p.message });
      });
  };
  useEffect(load, [coachSlug, typeSlug]);

  if (problem) return <Failure problem={problem} onRetry={load} />;
  if (!coach)
    return bootName ? (
      <section>
        <h1>Book with {bootName}</h1>
        <p class="muted" role="status">
          Loading…
        </p>
      </section>
    ) : (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  if (result) return <Success result={result} timeZone={timeZone} />;

  return (
    <section>
      <h1>Book with {coach.coach.name}</h1>
      {!type ? (
        <TypePicker coach={coach} onPick={setType} />
      ) : !slot ? (
        <TimePicker
          coach={coach}
          type={type}
          timeZone={timeZone}
          onTimeZone={setTimeZone}
          highlight={fresh}
          onBack={typeSlug ? undefined : () => setType(null)}
          onPick={(s) => {
            setSlot(s);
            emit("timeSelected", { eventType: type.slug, startTime: s });
          }}
        />
      ) : (
        <Details
          coach={coach}
          type={type}
          slot={slot}
          timeZone={timeZone}
          onBack={() => setSlot(null)}
          onTaken={(slots) => {
            setFresh(slots);
            setSlot(null);
          }}
          onBooked={(r) => {
            setResult(r);
            emit("booked", {
              id: r.booking.id,
              eventType: r.booking.eventType.slug,
              startTime: r.booking.startTime,
              endTime: r.booking.endTime,
              manageUrl: r.booking.manageUrl,
              series: r.series?.occurrences.length ?? null,
            });
          }}
        />
      )}
    </section>
  );
}

function TypePicker({ coach, onPick }: { coach: Coach; onPick: (t: EventType) => void }) {
  if (coach.eventTypes.length === 0) {
    return <p class="empty">{coach.coach.name} has no sessions open for booking right now.</p>;
  }
  return (
    <ul class="choices">
      {coach.eventTypes.map((t) => (
        <li key={t.slug}>
          <button type="button" class="choice" onClick={() => onPick(t)}>
            <strong>{t.name}</strong>
            <span class="muted">{t.durationMinutes} min</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function TimePicker(props: {
  coach: Coach;
  type: EventType;
  timeZone: string;
  onTimeZone: (tz: string) => void;
  highlight: string[] | null;
  onBack?: () => void;
  onPick: (slot: string) => void;
}) {
  const { coach, type, timeZone } = props;
  const [slots, setSlots] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const load = () => {
    setProblem(null);
    setSlots(null);
    const from = new Date();
    const to = new Date(from.getTime() + Math.min(type.maxDaysAhead, 31) * 86_400_000);
    getSlots(coach.coach.slug, type.slug, from, to)
      .then((r) => setSlots(r.slots))
      .catch(setProblem);
  };
  useEffect(load, [type.slug]);
  const days = slots ? byDay(slots, timeZone) : [];
  const chosen = days.find(([key]) => key === day) ?? days[0];

  return (
    <div>
      <p class="muted">
        {type.name} · {type.durationMinutes} min{" "}
        {props.onBack && (
          <button type="button" class="link" onClick={props.onBack}>
            change
          </button>
        )}
      </p>
      {props.highlight && (
        <p class="notice" role="alert">
          That time was just taken. Here are the times still open.
        </p>
      )}
      <label class="field">
        Time zone
        <select value={timeZone} onChange={(e) => props.onTimeZone(e.currentTarget.value)}>
          {allTimeZones().map((tz) => (
            <option key={tz}>{tz}</option>
          ))}
        </select>
      </label>
      {problem ? (
        <Failure problem={problem} onRetry={load} />
      ) : !slots ? (
        <p class="muted" role="status">
          Finding open times…
        </p>
      ) : days.length === 0 ? (
        <p class="empty">No open times in the coming weeks. Please check back later.</p>
      ) : (
        <>
          <div class="days" role="group" aria-label="Days">
            {days.map(([key, list]) => (
              <button
                type="button"
                key={key}
                class="day"
                aria-pressed={key === chosen?.[0]}
                onClick={() => {
                  setDay(key);
                  emit("dateSelected", { date: key });
                }}
              >
                {dayLabel(list[0] ?? "", timeZone)}
              </button>
            ))}
          </div>
          <div class="slots" role="group" aria-label="Times">
            {chosen?.[1].map((s) => (
              <button type="button" key={s} class="slot" onClick={() => props.onPick(s)}>
                {timeLabel(s, timeZone)}
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function Details(props: {
  coach: Coach;
  type: EventType;
  slot: string;
  timeZone: string;
  onBack: () => void;
  onTaken: (slots: string[]) => void;
  onBooked: (r: Result) => void;
}) {
  const { coach, type, slot, timeZone } = props;
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [answers, setAnswers] = useState<Record<string, string | string[]>>({});
  const [weeks, setWeeks] = useState(1);
  const [website, setWebsite] = useState("");
  const [formToken, setFormToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    getFormToken().then(setFormToken, setProblem);
    onPrefill((p) => {
      if (p.name) setName(p.name);
      if (p.email) setEmail(p.email);
      if (p.answers) setAnswers((a) => ({ ...p.answers, ...a }));
    });
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return; // a double click books once (and the server holds the line too)
    setBusy(true);
    setProblem(null);
    try {
      const turnstileToken = await humanToken(coach);
      const returnUrl = params.get("return_url") ?? undefined;
      props.onBooked(
        await book({
          coach: coach.coach.slug,
          eventType: type.slug,
          startTime: slot,
          timezone: timeZone,
          name,
          email,
          answers,
          turnstileToken,
          formToken,
          website,
          returnUrl,
          tracking,
          ...(weeks > 1 ? { recurring: { weeks } } : {}),
        }),
      );
    } catch (err) {
      const p = err as Problem;
      if (p.status === 409 && p.slots.length) return props.onTaken(p.slots);
      setProblem(p);
      emit("error", { stage: "booking", status: p.status, message: p.message });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (f: string) =>
    problem?.fields[f] && (
      <span class="error" id={`${f}-error`}>
        {problem.fields[f]}
      </span>
    );

  return (
    <form onSubmit={submit} noValidate>
      <p>
        <strong>{type.name}</strong> · {fullLabel(slot, timeZone)}{" "}
        <button type="button" class="link" onClick={props.onBack}>
          change
        </button>
      </p>
      <label class="field">
        Your name
        <input
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          autocomplete="name"
          required
          aria-describedby="name-error"
        />
        {fieldError("name")}
      </label>
      <label class="field">
        Email
        <input
          type="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          autocomplete="email"
          required
          aria-describedby="email-error"
        />
        {fieldError("email")}
      </label>
      <Questions
        questions={type.questions}
        answers={answers}
        errors={problem?.fields ?? {}}
        onChange={setAnswers}
      />
      <label class="field">
        Repeat
        <select value={weeks} onChange={(e) => setWeeks(Number(e.currentTarget.value))}>
          <option value={1}>Just this once</option>
          {Array.from({ length: 11 }, (_, i) => i + 2).map((n) => (
            <option key={n} value={n}>
              Weekly, {n} sessions
            </option>
          ))}
        </select>
      </label>
      <label class="hp" aria-hidden="true">
        Website
        <input
          tabIndex={-1}
          autocomplete="off"
          value={website}
          onInput={(e) => setWebsite(e.currentTarget.value)}
        />
      </label>
      <div id="turnstile" />
      {problem && !Object.keys(problem.fields).length && (
        <p class="notice error" role="alert">
          {problem.message}
        </p>
      )}
      {problem && Object.keys(problem.fields).length > 0 && (
        <p class="notice error" role="alert">
          Please check the highlighted fields.
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !formToken}>
        {busy ? "Booking…" : "Confirm booking"}
      </button>
    </form>
  );
}

function Success({ result, timeZone }: { result: Result; timeZone: string }) {
  const b: Booking = result.booking;
  return (
    <section class="success" aria-live="polite">
      <h1>You're booked</h1>
      <p>
        <strong>{b.eventType.name}</strong> with {b.coach.name}
        <br />
        {fullLabel(b.startTime, timeZone)}
      </p>
      {result.series && (
        <ul class="series">
          {result.series.occurrences.map((o) => (
            <li key={o.startTime} class={o.status}>
              {fullLabel(o.startTime, timeZone)} —{" "}
              {o.status === "booked" ? "booked" : `not booked: ${o.message}`}
            </li>
          ))}
        </ul>
      )}
      <p>A confirmation is on its way to your inbox.</p>
      <p class="links">
        <a href={b.icsUrl}>Add to calendar (.ics)</a>
        <a href={b.googleCalendarUrl} target="_blank" rel="noopener">
          Google Calendar
        </a>
        <a href={b.outlookCalendarUrl} target="_blank" rel="noopener">
          Outlook
        </a>
      </p>
      <p>
        <a href={b.manageUrl} target="_top">
          Change or cancel this booking
        </a>
      </p>
      {result.returnUrl && (
        <p>
          <a href={result.returnUrl} target="_top">
            Continue
          </a>
        </p>
      )}
    </section>
  );
}

export function Failure({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  return (
    <div class="notice error" role="alert">
      <p>{problem.message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
