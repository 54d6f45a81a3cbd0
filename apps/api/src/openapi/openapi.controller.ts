import { Access } from '../identity/access.decorator.js';
import { Controller, Get, Header } from '@nestjs/common';
import { OPENAPI_PATH, createOpenApiDocument } from './openapi-document.js';

@Controller()
export class OpenApiController {
  private readonly document = createOpenApiDocument();

  @Access('public')
  @Get(OPENAPI_PATH)
  json(): Record<string, unknown> {
    return this.document;
  }

  // Swagger UI from the swagger-ui-dist package, served locally: no CDN, works offline.
  @Access('public')
  @Get('/api/docs')
  @Header('content-type', 'text/html; charset=utf-8')
  docs(): string {
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Flightdeck API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;
  }

  @Access('public')
  @Get('/api/docs/init.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  init(): string {
    return `window.ui = SwaggerUIBundle({ url: '${OPENAPI_PATH}', dom_id: '#swagger-ui', deepLinking: true });`;
  }
}
