// Start-node inputs whose `type` is not a string: a hostile shape without evidence. Coze's
// OpenAPIParameter names every type as a string (coze-sdk-gen docs/api-markdown
// get_workflow_info.md, coze-openapi.yaml); no SDK fixture, doc or Coze Studio source shows a
// number, an object, null or no type. They stand for a server (or a proxy in front of one)
// that answers something else, which the editor must survive.
import type { CatalogParameter, SimCatalog } from './catalog';

/** The inputs, by name: a number, an object, null and no type at all, and an array of a number type. */
export const ODD_TYPED_INPUTS: Record<string, unknown> = {
	count: { type: 42 },
	shaped: { type: { name: 'string' } },
	nothing: { type: null },
	untyped: {},
	list: { type: 'array', items: { type: 7 } },
	name: { type: 'string', required: true },
};

/** Adds to `workspaceId` a published workflow whose start node has ODD_TYPED_INPUTS. */
export function addWorkflowWithOddInputTypes(
	catalog: SimCatalog,
	workspaceId: string,
	workflowId: string,
): void {
	catalog.addWorkflow(workspaceId, {
		workflow_id: workflowId,
		workflow_name: 'Odd input types',
		inputs: ODD_TYPED_INPUTS as Record<string, CatalogParameter>,
	});
}
