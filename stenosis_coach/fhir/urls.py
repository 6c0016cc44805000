from django.urls import path

from . import views

urlpatterns = [
    path("my-data/fhir.json", views.my_record, name="fhir-my-record"),
    path("clinic/patients/<int:patient_id>/fhir.json", views.patient_record, name="fhir-patient"),
    path("clinic/fhir/Group/<int:clinic_id>/$export", views.kick_off, name="fhir-bulk-kick-off"),
    path("clinic/fhir/bulk/<uuid:export_id>/", views.export_status, name="fhir-bulk-status"),
    path(
        "clinic/fhir/bulk/<uuid:export_id>/<str:resource_type>.ndjson",
        views.export_download,
        name="fhir-bulk-file",
    ),
]
