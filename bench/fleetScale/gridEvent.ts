let sequence = 0;

/**
 * A subscription system topic's event in the Event Grid schema, as Event Grid delivers it to vmChanged (the shape
 * of test/fixtures/eventgrid): what the bench's events go through, envelope parsing included.
 */
export function gridEvent(operationName: string, resourceUri: string, at: Date): Record<string, unknown> {
  const id = `bench-event-${++sequence}`;
  const subscriptionId = resourceUri.split('/')[2];
  const deleted = operationName.endsWith('/delete');
  return {
    subject: resourceUri,
    eventType: deleted ? 'Microsoft.Resources.ResourceDeleteSuccess' : 'Microsoft.Resources.ResourceWriteSuccess',
    eventTime: at.toISOString(),
    id,
    data: {
      correlationId: `correlation-${id}`,
      resourceProvider: operationName.split('/')[0],
      resourceUri,
      operationName,
      status: 'Succeeded',
      subscriptionId,
      tenantId: '00000000-0000-0000-0000-000000000001',
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${subscriptionId}`,
  };
}
