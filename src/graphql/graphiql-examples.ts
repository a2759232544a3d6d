/**
 * The operations GraphiQL opens with: submit the trade-day job, follow its status and logs, list
 * the components. Paste the id `submitJob` returns into the variables of the next two tabs.
 */
const TRADE_DAY_DOCUMENT = {
  pipeline_structure: {
    producer_0: {
      component_class_name: 'BaoStockTradeDayProducer',
      pre_component_name: '',
      component_arguments: {},
    },
    processor_0: {
      component_class_name: 'BaoStockTradeDayProcessor',
      pre_component_name: 'producer_0',
      component_arguments: {},
    },
    storager_0: {
      component_class_name: 'BaoStockTradeDayStorager',
      pre_component_name: 'processor_0',
      component_arguments: {},
    },
  },
};

const SUBMIT = /* GraphQL */ `# Submit the trade-day job in the original JSON document form.
# An invalid spec comes back as JobSpecInvalid with every problem and its path.
mutation SubmitTradeDayJob($document: JSON!) {
  submitJob(input: { document: $document }) {
    __typename
    ... on Job { id status submittedAt steps { name componentName status } }
    ... on JobSpecInvalid { message problems { path message } }
    ... on Error { message code }
  }
}
`;

const FOLLOW_STATUS = /* GraphQL */ `# The job's state now, then every change, until it ends.
subscription FollowJobStatus($id: ID!) {
  jobStatus(id: $id) {
    change
    job {
      id status error startedAt finishedAt
      progress { stepsFinished stepsTotal items { step label done total } }
    }
  }
}
`;

const FOLLOW_LOGS = /* GraphQL */ `# Every log line of the job: stored ones first, then live, in batches.
# Resume later with after: <the last cursor you saw>.
subscription FollowJobLogs($id: ID!, $after: Int) {
  jobLogs(id: $id, after: $after) {
    cursor
    lines { seq time level step message }
  }
}
`;

const LIST_COMPONENTS = /* GraphQL */ `query ListComponents {
  components { name kind description source loadedAt argumentsSchema }
  componentLoadFailures { file error at }
}
`;

export const graphiqlTabs = [
  { query: SUBMIT, variables: JSON.stringify({ document: TRADE_DAY_DOCUMENT }, null, 2) },
  { query: FOLLOW_STATUS, variables: JSON.stringify({ id: 'paste the job id here' }, null, 2) },
  {
    query: FOLLOW_LOGS,
    variables: JSON.stringify({ id: 'paste the job id here', after: 0 }, null, 2),
  },
  { query: LIST_COMPONENTS, variables: '{}' },
];
