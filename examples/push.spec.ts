// A Playwright test that records what the browser sees of the app's push channel into a HAR for
// `npx comet-inspect check`. The app is started by playwright.config.ts (webServer).
import { test } from '@playwright/test';

test('live updates: record the push channel', async ({ browser }) => {
  const context = await browser.newContext({
    // content: 'embed' keeps response bodies, so empty long-poll answers (the server's timeout) can be told apart.
    recordHar: { path: 'test-results/push.har', content: 'embed', mode: 'full' },
  });
  const page = await context.newPage();
  await page.goto('/inbox');
  // Let the channel run long enough for several holds (and whatever reconnects the app does).
  await page.waitForTimeout(75_000);
  await context.close(); // writes the HAR
});
