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
