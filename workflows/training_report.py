"""Awareness training (Wyre Forest 4.3, Wirral 2.8): who has confirmed every module, by service area.

A module is a live ``TrainingPage``; an officer has completed it when they have
confirmed any version of it. Lead officers belong to the service areas of the
partnerships in force that they lead (the portal keeps no other link between
officers and service areas).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils import timezone

from partnerships.admin_views import forbidden
from partnerships.models import Partnership
from portal.models import TrainingCompletion
from portal.models.training import can_see_colleagues_training, training_modules

NO_AREA = "No service area"


def training_summary():
    """Completion by service area, and the lead officers still to complete; five queries."""
    module_list = list(training_modules())
    module_ids = {module.pk for module in module_list}
    leads = defaultdict(set)  # user id → service areas
    for user_id, area in (
        Partnership.objects.in_force()
        .filter(lead_officer__isnull=False)
        .values_list("lead_officer_id", "service_area__name")
        .distinct()
    ):
        leads[user_id].add(area or NO_AREA)
    done = defaultdict(set)
    for user_id, page_id in (
        TrainingCompletion.objects.filter(user_id__in=leads, page_id__in=module_ids)
        .values_list("user_id", "page_id")
        .distinct()
    ):
        done[user_id].add(page_id)
    users = get_user_model().objects.in_bulk(list(leads))
    entries = defaultdict(list)
    for partnership in Partnership.objects.in_force().filter(lead_officer__in=list(leads)).order_by("name"):
        entries[partnership.lead_officer_id].append(partnership)

    areas = defaultdict(lambda: {"leads": 0, "complete": 0})
    outstanding = []
    for user_id, user_areas in leads.items():
        complete = module_ids <= done[user_id]
        for area in user_areas:
            areas[area]["leads"] += 1
            areas[area]["complete"] += int(complete)
        if not complete:
            missing = [module for module in module_list if module.pk not in done[user_id]]
            outstanding.append(
                {
                    "user": users[user_id],
                    "name": users[user_id].get_full_name() or users[user_id].get_username(),
                    "areas": sorted(user_areas),
                    "missing": missing,
                    "partnerships": entries[user_id],
                }
            )
    by_area = [
        {"name": name, **counts, "outstanding": counts["leads"] - counts["complete"]}
        for name, counts in sorted(areas.items())
    ]
    outstanding.sort(key=lambda item: item["name"])
    return {"modules": module_list, "by_area": by_area, "outstanding": outstanding}


def training_report(request):
    if not can_see_colleagues_training(request.user):
        return forbidden(request)
    context = {"header_title": "Awareness training", "today": timezone.localdate(), **training_summary()}
    return TemplateResponse(request, "workflows/training_report.html", context)
