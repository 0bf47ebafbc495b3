"""Pages of the evaluation year, one module per page or family of pages: the unit's year and its
ratings grid and import (`ratings`), units' ratings and grading (`grading`), the review
(`review`) with its council and votes (`council`), results, corrections and the lock
(`results`), and a person's evaluation (`person`). Every change goes through services; a refusal
comes back as a message on the page it was made from."""
