/** Errors services throw; the error handler turns them into French pages with the right status. */
export class NotFoundError extends Error {
  readonly statusCode = 404;
  constructor(message = 'Page introuvable') {
    super(message);
  }
}

export class ForbiddenError extends Error {
  readonly statusCode = 403;
  constructor(message = 'Vous n\'avez pas accès à cette page.') {
    super(message);
  }
}

/** A business rule refused the action: shown to the user as is, in French. */
export class RuleError extends Error {
  readonly statusCode = 409;
}
