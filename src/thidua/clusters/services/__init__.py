"""Cluster services: setting a cluster up (`setup`), the pledge and the scoring sheets
(`sheets`), ranking, vote and suy tôn (`suy_ton`)."""
