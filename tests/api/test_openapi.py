def test_the_openapi_document_describes_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    paths = response.json()["paths"]
    assert response.status_code == 200
    for path in ("/api/v1/territories/", "/api/v1/axes/", "/api/v1/measures/", "/api/v1/organisations/"):
        assert path in paths


def test_the_interactive_docs_use_local_assets_only(client):
    response = client.get("/api/v1/docs")
    content = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn." not in content


def test_the_patches_of_organisations_and_targets_require_the_version_and_document_the_conflict(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, schema in (
        ("/api/v1/organisations/{organisation_id}", "OrganisationPatch"),
        ("/api/v1/targets/{code}", "TargetPatch"),
    ):
        assert schemas[schema]["required"] == ["lock_version"]
        assert {"200", "409", "422"} <= set(document["paths"][path]["patch"]["responses"])
    assert "lock_version" in schemas["OrganisationOut"]["required"]
    assert "lock_version" in schemas["TargetOut"]["required"]
