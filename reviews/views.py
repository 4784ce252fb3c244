from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import leader_required, secretariat_required

from .compose import IssueDetails, compose_review, period_label
from .forms import NarrativeForm, ReviewRequestForm
from .models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from .selectors import changed_since, jobs_for_year, narrative_history, narratives_for_year, review_years, years_overview
from .services import (
    ReviewRequestRefused,
    StaleNarrativeError,
    data_markers,
    is_stalled,
    narrative_save,
    review_job_request,
    review_job_retry,
)


def _check_year(year: int) -> int:
    if year not in review_years():
        raise Http404
    return year


def _get_job(pk: int) -> ReviewJob:
    return get_object_or_404(ReviewJob.objects.for_listing(), pk=pk)


@leader_required
def index(request):
    return render(request, "reviews/index.html", {"years": years_overview()})


def _year_page(request, year: int, *, form=None, status=200):
    jobs = jobs_for_year(year)
    latest_done = next((job for job in jobs if job.is_done), None)
    markers = data_markers()
    for job in jobs:
        job.stalled = is_stalled(job)
    running = [job for job in jobs if job.is_running and not job.stalled]
    if form is None and request.user.is_secretariat:
        form = ReviewRequestForm(year=year)
    return render(
        request,
        "reviews/year.html",
        {
            "year": year,
            "period_label": period_label(year),
            "jobs": jobs,
            "latest_done": latest_done,
            "changed": changed_since(latest_done, markers),
            "running": running,
            "form": form,
            "written_parts": len([n for n in narratives_for_year(year).values() if n.text]),
            "part_count": len(ReviewPart.choices),
        },
        status=status,
    )


@leader_required
def year_detail(request, year: int):
    return _year_page(request, _check_year(year))


@secretariat_required
@require_POST
def request_review(request, year: int):
    _check_year(year)
    form = ReviewRequestForm(request.POST, year=year)
    if not form.is_valid():
        return _year_page(request, year, form=form, status=400)
    try:
        job = review_job_request(year=year, actor=request.user, details=form.details(), request=request)
    except ReviewRequestRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã yêu cầu dựng bản %(version)s của báo cáo năm %(year)s.") % {"version": job.version, "year": year}
        )
    return redirect("reviews:year", year=year)


@leader_required
def job_status(request, pk: int):
    """The job's row, polled by the page while the job runs (htmx)."""
    job = _get_job(pk)
    job.stalled = is_stalled(job)
    return render(request, "reviews/_job_row.html", {"job": job})


@leader_required
def download(request, pk: int):
    job = _get_job(pk)
    if job.status != JobStatus.DONE or not job.pdf or not default_storage.exists(job.pdf.name):
        raise Http404
    return FileResponse(job.pdf.open("rb"), as_attachment=True, filename=job.download_name, content_type="application/pdf")


@secretariat_required
@require_POST
def retry_job(request, pk: int):
    job = _get_job(pk)
    try:
        review_job_retry(job=job)
    except ReviewRequestRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã đưa bản %(version)s vào hàng đợi để dựng lại.") % {"version": job.version})
    return redirect("reviews:year", year=job.year)


@secretariat_required
def narratives(request, year: int):
    _check_year(year)
    written = narratives_for_year(year)
    parts = [{"key": key, "label": label, "narrative": written.get(key)} for key, label in ReviewPart.choices]
    return render(request, "reviews/narratives.html", {"year": year, "parts": parts})


def _generated_for(content: dict, part: str) -> dict | None:
    """The block of the composed report that belongs to `part`."""
    for section in content["sections"]:
        for block in [section.get("block")] + [sub.get("block") for sub in section["subsections"]]:
            if block and block.get("part") == part:
                return block
    return None


@secretariat_required
def narrative_edit(request, year: int, part: str):
    _check_year(year)
    if part not in ReviewPart.values:
        raise Http404
    part = ReviewPart(part)
    narrative = PartNarrative.objects.select_related("updated_by").filter(year=year, part=part).first()
    current_version = narrative.version if narrative else 0
    stale = None
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                _saved, changed = narrative_save(
                    year=year,
                    part=part,
                    text=form.cleaned_data["text"],
                    include_figures=form.cleaned_data["include_figures"],
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                )
            except StaleNarrativeError as exc:
                stale = exc.current
                # Keep what the writer typed; the next save knowingly replaces the newer text.
                data = request.POST.copy()
                data["version"] = str(stale.version)
                form = NarrativeForm(data)
                form.is_valid()
                form.add_error(None, str(exc))
            else:
                if changed:
                    messages.success(
                        request, _("Đã lưu phần “%(part)s” của báo cáo năm %(year)s.") % {"part": part.label, "year": year}
                    )
                else:
                    messages.info(request, _("Nội dung không thay đổi."))
                return redirect("reviews:narratives", year=year)
    else:
        form = NarrativeForm(
            initial={
                "text": narrative.text if narrative else "",
                "include_figures": narrative.include_figures if narrative else True,
                "version": current_version,
            }
        )
    preview = compose_review(year, details=IssueDetails(report_date=timezone.localdate()), use_narratives=False)
    generated = _generated_for(preview, part)
    return render(
        request,
        "reviews/narrative_edit.html",
        {
            "year": year,
            "part": part,
            "narrative": narrative,
            "stale": stale,
            "form": form,
            "generated": generated,
            "history": narrative_history(narrative),
        },
        status=409 if stale else (400 if request.method == "POST" else 200),
    )
