"""Open data on the officers' dashboard: download the HSDS export, upload a social map to import."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from ..access import officer_required
from ..body_limits import larger_body
from ..domain.errors import FieldError
from ..domain.exchange import hsds
from ..domain.exchange import importing as importer
from ..extensions import db
from ..i18n import translate
from ..inputs import PortalForm
from ..models.base import utcnow

bp = Blueprint("open_data", __name__, url_prefix="/dashboard/open-data")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024  # the file and the form around it


class ImportForm(PortalForm):
    """A CSV (our template) or a zip (HSDS package); checking alone writes nothing."""

    upload = FileField(
        _l("Bestand (.csv of .zip)"),
        validators=[
            FileRequired(_l("Kies een bestand.")),
            FileAllowed(["csv", "zip"], _l("Kies een .csv- of .zip-bestand.")),
            FileSize(MAX_UPLOAD_BYTES, message=_l("Het bestand is groter dan 20 MB.")),
        ],
    )
    default_place = StringField(
        _l("Standaardplaats (alleen voor HSDS-pakketten)"),
        validators=[Optional(), Length(max=120)],
    )
    dry_run = BooleanField(_l("Alleen controleren, nog niets importeren"))


def _export() -> hsds.Export:
    return hsds.build_export(db.session, current_app.config["PUBLIC_BASE_URL"], utcnow())


def _download(content: bytes, mimetype: str, extension: str) -> Response:
    """A dated file name, so a second download does not overwrite the first."""
    stamp = utcnow().strftime("%Y%m%d")
    headers = {
        "Content-Disposition": f'attachment; filename="naoberkaart-hsds-{stamp}.{extension}"'
    }
    return Response(content, mimetype=mimetype, headers=headers)


@bp.get("")
@officer_required
def index():
    """Download links and the upload form."""
    return render_template("open_data/index.html", form=ImportForm(), report=None)


@bp.get("/hsds.zip")
@officer_required
def package():
    """The HSDS CSV data package (and hsds.json) as one zip."""
    return _download(hsds.package_zip(_export()), "application/zip", "zip")


@bp.get("/hsds.json")
@officer_required
def document():
    """Organisations and services nested as the HSDS 3.0 JSON schemas describe them."""
    content = hsds.json_bytes(hsds.to_json(_export()))
    return _download(content, "application/json", "json")


def _import(form: ImportForm) -> importer.ImportReport | None:
    """Read and check the upload; write and commit only when every row is right."""
    data = form.upload.data
    try:
        source = importer.read_upload(data.read(), data.filename or "upload")
        report = importer.run_import(
            db.session, source, current_user._get_current_object(), utcnow(),
            expiry_months=current_app.config["LISTING_EXPIRY_MONTHS"],
            default_place=(form.default_place.data or "").strip(), dry_run=form.dry_run.data,
        )  # fmt: skip
    except importer.ImportFileError as error:
        form.upload.errors.append(str(error))
        return None
    except FieldError as error:
        form[error.field].errors.append(translate(error.message))
        return None
    if report.imported:
        db.session.commit()
    else:
        db.session.rollback()
    return report


@bp.post("/importeren")
@larger_body(UPLOAD_BODY_BYTES)
@officer_required
def upload():
    """Import a CSV or HSDS zip and show the report; nothing is written when a row is wrong."""
    form = ImportForm()
    report = _import(form) if form.validate_on_submit() else None
    status = 200 if report is not None and report.ok else 400
    return render_template("open_data/index.html", form=form, report=report), status
