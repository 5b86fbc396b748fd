"""CRM leads: crm.lead.*."""

from __future__ import annotations
