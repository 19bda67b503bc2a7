import type { Browser } from 'playwright-core';
import { defaults } from '../defaults.js';
import { ServiceUnavailableError } from '../errors.js';

/** How {@link renderPdf} prints. */
export interface PdfOptions {
  /** The Chromium executable (default {@link defaults.reportChromiumPath}). */
  chromiumPath?: string;
  /** Milliseconds to start Chromium and print (default {@link defaults.reportPdfTimeoutMs}). */
  timeoutMs?: number;
}

/**
 * Prints a self-contained HTML page to PDF (A4, backgrounds printed) with headless Chromium
 * driven by playwright-core, loaded only here (the other formats, and every other command, do not
 * need it installed). JavaScript is disabled in the page: the report needs none.
 *
 * @throws ServiceUnavailableError `report.pdfFailed` when Chromium cannot start or print.
 */
export async function renderPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const executablePath = options.chromiumPath ?? defaults.reportChromiumPath;
  const timeout = options.timeoutMs ?? defaults.reportPdfTimeoutMs;
  let browser: Browser | undefined;
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'], timeout });
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.setContent(html, { waitUntil: 'load', timeout });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
    });
  } catch (err) {
    throw new ServiceUnavailableError(
      'report.pdfFailed',
      `could not print the report to PDF with Chromium at ${executablePath} (install it, e.g. \`apt-get install chromium\`, or pass --chromium PATH): ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await browser?.close();
  }
}
