import { Type, type Static } from 'typebox';
import type { LensApp } from '../../app.js';
import { dayText, isoOrNull, iso } from '../../http/dates.js';
import { NotFoundError } from '../../http/errors.js';
import { html } from '../../http/html.js';
import { errorResponses, Nullable } from '../../http/schemas.js';
import type { ProgressService } from '../progress/service.js';

const CertificateBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  valid: Type.Boolean(),
  learner: Type.Object({ userId: Type.String(), name: Nullable(Type.String()) }),
  course: Type.Object({ identifier: Type.String(), name: Type.String() }),
  context: Type.Object({ identifier: Type.String(), name: Type.String() }),
  organization: Type.String(),
  completedOn: Nullable(Type.String({ format: 'date-time' })),
  issuedOn: Type.String({ format: 'date-time' }),
});

function page(certificate: Static<typeof CertificateBody>, issuedAt: number): string {
  const learner = certificate.learner.name ?? certificate.learner.userId;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${certificate.name} — ${learner}</title>
<style>body{font-family:Georgia,serif;background:#f4f1ea;margin:0;padding:2rem;color:#222}
main{max-width:42rem;margin:auto;background:#fff;border:6px double #8a6d3b;padding:3rem 2rem;text-align:center}
h1{font-size:2rem;margin:0 0 1rem}p{font-size:1.15rem;line-height:1.6}.name{font-size:1.8rem;font-weight:bold}
footer{margin-top:2rem;font-size:.9rem;color:#555}</style></head>
<body><main>
<h1>${certificate.name}</h1>
<p>This certifies that</p>
<p class="name">${learner}</p>
<p>completed <strong>${certificate.course.name}</strong><br>(${certificate.context.name})</p>
<p>on ${dayText(issuedAt)}</p>
<footer>Issued by ${certificate.organization} · certificate ${certificate.id}</footer>
</main></body></html>`.value;
}

/** Public verification of certificates by their token, as JSON or as a page to show. */
export async function certificatesRoutes(app: LensApp, deps: { progress: Pick<ProgressService, 'certificate'> }): Promise<void> {
  app.get(
    '/v1/certificates/:token',
    {
      schema: {
        tags: ['Progress'],
        operationId: 'verifyCertificate',
        summary: 'Verify a certificate',
        description: 'Anyone holding the token can verify the certificate. Browsers (Accept: text/html) get a page to show.',
        security: [],
        params: Type.Object({ token: Type.String() }),
        response: { 200: CertificateBody, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const found = await deps.progress.certificate(request.params.token);
      if (!found) throw new NotFoundError('certificate_not_found', 'No certificate has this token.');
      const certificate = {
        id: found.id,
        name: found.name,
        valid: true,
        learner: { userId: found.user_id, name: found.learner_name },
        course: { identifier: found.collection_identifier, name: found.collection_name },
        context: { identifier: found.context_identifier, name: found.context_name },
        organization: found.organization_name,
        completedOn: isoOrNull(found.completed_on),
        issuedOn: iso(found.issued_at),
      };
      // Browsers list text/html before any JSON type; API clients ask for JSON or nothing.
      const accept = request.headers.accept ?? '';
      const htmlType = accept.indexOf('text/html');
      const jsonType = accept.search(/application\/(\w+\+)?json/);
      if (htmlType >= 0 && (jsonType < 0 || htmlType < jsonType)) {
        return reply.type('text/html; charset=utf-8').send(page(certificate, found.issued_at) as never);
      }
      return certificate;
    },
  );
}
