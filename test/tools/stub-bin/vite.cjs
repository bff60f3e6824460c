require("node:fs").appendFileSync(
  process.env.STUB_LOG,
  `${JSON.stringify(["vite", ...process.argv.slice(2)])}\n`,
);
