"""Pages of initiatives, one module per page or family of pages: `listing` (the list),
`application` (the application form and the live novelty check), `detail` (an initiative's page
with its workflow, attachments, council, recognition and uses), `councils`, `reviews` (scores,
votes, result) and `counts`. Lists go through the scoped selectors, objects through the access
functions (404 for missing and out-of-scope alike), every change through the services."""
