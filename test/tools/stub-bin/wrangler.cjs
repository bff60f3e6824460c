// A stand-in for wrangler on PATH: records every call in $STUB_LOG and answers like wrangler 4's
// output (JSON where wrangler prints JSON), keeping the fake account in $STUB_STATE.
const { appendFileSync, existsSync, readFileSync, writeFileSync } = require("node:fs");

const args = process.argv.slice(2);
const statePath = process.env.STUB_STATE;
const state = existsSync(statePath)
  ? JSON.parse(readFileSync(statePath, "utf8"))
  : { d1: [], kv: [], queues: [], secrets: [], deployed: false, loggedIn: true };
appendFileSync(process.env.STUB_LOG, `${JSON.stringify(args)}\n`);
const save = () => writeFileSync(statePath, JSON.stringify(state));
const out = (text) => process.stdout.write(`${text}\n`);
const fail = (text) => {
  process.stderr.write(`✘ [ERROR] ${text}\n`);
  process.exit(1);
};
const firstFlag = args.findIndex((a) => a.startsWith("-"));
const cmd = (firstFlag < 0 ? args : args.slice(0, firstFlag)).join(" ");

if (cmd.startsWith("whoami")) {
  if (!state.loggedIn) fail("You are not authenticated. Please run `wrangler login`.");
  out(
    JSON.stringify({
      loggedIn: true,
      email: "ops@example.com",
      accounts: [{ id: "acc", name: "Ops" }],
    }),
  );
} else if (cmd === "d1 list") {
  out(JSON.stringify(state.d1));
} else if (cmd.startsWith("d1 create")) {
  state.d1.push({ uuid: `d1-${state.d1.length + 1}`, name: args[2] });
  save();
  out(`✅ Successfully created DB '${args[2]}'`);
} else if (cmd === "kv namespace list") {
  out(JSON.stringify(state.kv));
} else if (cmd.startsWith("kv namespace create")) {
  state.kv.push({ id: `kv-${state.kv.length + 1}`, title: args[3] });
  save();
  out("✨ Success!");
} else if (cmd === "queues list") {
  out("┌────┬──────┐\n│ id │ name │");
  for (const q of state.queues) out(`│ q-${q} │ ${q} │`);
} else if (cmd.startsWith("queues create")) {
  state.queues.push(args[2]);
  save();
} else if (cmd === "secret list") {
  if (!state.deployed && state.secrets.length === 0)
    fail("This Worker does not exist on your account.");
  out(JSON.stringify(state.secrets.map((name) => ({ name, type: "secret_text" }))));
} else if (cmd.startsWith("secret bulk")) {
  const secrets = JSON.parse(readFileSync(args[2], "utf8"));
  for (const name of Object.keys(secrets))
    if (!state.secrets.includes(name)) state.secrets.push(name);
  state.lastBulk = secrets;
  save();
} else if (cmd.startsWith("d1 migrations apply")) {
  out("No migrations to apply!");
} else if (cmd === "deploy") {
  state.deployed = true;
  save();
  out("Deployed kairos");
} else {
  fail(`stub wrangler does not know: ${args.join(" ")}`);
}
