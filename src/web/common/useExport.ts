import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { RequestOf } from '../../contract/endpoint.ts';
import type { Routes } from '../../contract/index.ts';
import { downloadFrom } from '../api/call.ts';
import { errorText } from './errors.ts';

/** Export to Excel: the server renders the .xlsx of the same view and filters; the browser saves it. */
type ExportRoute = 'GET /postings/export.xlsx' | 'GET /payments/export.xlsx' | 'GET /audit-events/export.xlsx';
type ExportQuery<K extends ExportRoute> = NonNullable<RequestOf<Routes[K]>['query']>;

export function useExport<K extends ExportRoute>(route: K, fallbackName: string) {
  const [exporting, setExporting] = useState(false);
  const run = async (query: ExportQuery<K>) => {
    setExporting(true);
    try {
      const name = await downloadFrom<ExportRoute>(route, fallbackName, { query });
      notifications.show({ color: 'green', title: 'Exported', message: `Saved ${name}` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: errorText(error) });
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run: (query: ExportQuery<K>) => void run(query) };
}
