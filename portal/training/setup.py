"""Starting knowledge checks for the training modules, from portal/content/knowledge_checks/.

Like the rest of the starting content, only what is missing is added: a module whose
check an editor has written or changed is left alone. The questions are added as a
new published revision of the module, so the page editor shows them too.
"""

from portal import content_loader
from portal.models.knowledge_check import KnowledgeCheckQuestion
from portal.models.pages import TrainingPage


def ensure_knowledge_checks(report):
    checks = content_loader.load_knowledge_checks()
    for page in TrainingPage.objects.live().filter(slug__in=list(checks)):
        if page.check_questions.exists() or page.has_unpublished_changes:
            continue
        data = checks[page.slug]
        page.pass_mark = data.get("pass_mark", page.pass_mark)
        page.check_questions = [
            KnowledgeCheckQuestion(
                text=item["text"],
                choices="\n".join(item["choices"]),
                correct_answer=item["answer"],
                feedback=item["feedback"],
            )
            for item in data["questions"]
        ]
        page.save_revision(log_action=False).publish(log_action=False)
        report.add(f"knowledge check for {page.title} ({len(data['questions'])} questions)")
