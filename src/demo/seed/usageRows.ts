import { TENANT_ID } from './identities';
import type { RowContext } from './rowWriter';

/** Hourly ingestion records, so the official Log Analytics example (`Usage | take 10`) has data. */
export function seedUsageRows(ctx: RowContext): void {
  const types = [
    ['SigninLogs', 'SecurityInsights'],
    ['SecurityEvent', 'Security'],
    ['DeviceProcessEvents', 'SecurityInsights'],
  ] as const;
  for (let hour = 0; hour < 24; hour += 1) {
    for (const [dataType, solution] of types) {
      const end = ctx.t.ago(hour);
      ctx.append('Usage', {
        TenantId: TENANT_ID,
        Computer: '',
        TimeGenerated: end,
        SourceSystem: 'OMS',
        StartTime: ctx.t.ago(hour + 1),
        EndTime: end,
        ResourceUri:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/soc-demo/providers/microsoft.operationalinsights/workspaces/soc-demo-ws',
        LinkedResourceUri: null,
        DataType: dataType,
        Solution: solution,
        BatchesWithinSla: 1,
        BatchesOutsideSla: 0,
        BatchesCapped: 0,
        TotalBatches: 1,
        AvgLatencyInSeconds: Math.round(ctx.prng.next() * 3000) / 1000 + 0.5,
        Quantity: Math.round(ctx.prng.next() * 100_000) / 1000,
        QuantityUnit: 'MBytes',
        IsBillable: true,
        MeterId: 'a4e29a95-5b4c-408b-80e3-113f9410566e',
        LinkedMeterId: '00000000-0000-0000-0000-000000000000',
      });
    }
  }
}
