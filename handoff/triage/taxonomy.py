"""The shipped default taxonomy, used when `[triage] categories` is empty.

Each category carries a description and seed examples as well as keywords, so the description-based
scorers (lexical overlap, and sentence embeddings when the extra is installed) have something to match
even for wordings no keyword foresaw. Keywords are regular expressions matched case-insensitively on
word boundaries chosen by the pattern itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from handoff.settings import Category, TriageSettings

DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(
        id="billing",
        label="Billing",
        description=(
            "Questions or problems with invoices, charges, payments, prices, subscriptions fees, "
            "being charged twice or the wrong amount, payment methods and receipts."
        ),
        keywords=[
            r"\binvoices?\b",
            r"\bbill(?:ed|ing)?\b",
            r"\bcharged?\b",
            r"\bcharges\b",
            r"\bdouble[- ]charged\b",
            r"\bcharged (?:me )?twice\b",
            r"\bovercharg\w*",
            r"\bpayments?\b",
            r"\breceipts?\b",
            r"\bvat\b",
            r"\bcredit card\b",
            r"\bdirect debit\b",
            r"\bpric(?:e|es|ing)\b",
            r"\bfees?\b",
            r"\b(?:coupon|promo(?:tion(?:al)?)? code|discount code|voucher)s?\b",
            r"\b(?:transaction|statement|paypal|bank account|installments?)\b",
            r"\b(?:pay|paid|paying) (?:for|by|with|twice|the|my|an?)\b",
        ],
        examples=[
            "I was charged twice this month",
            "There is a charge on my statement I don't recognise",
            "My discount code was not applied at checkout",
            "Which payment methods do you accept",
            "I need a copy of last month's bill",
            "My invoice shows the wrong amount",
            "Can you send me a VAT receipt for my payment",
            "Why did my subscription price go up",
            "The payment failed but money left my account",
        ],
    ),
    Category(
        id="refund",
        label="Refund",
        description=(
            "The customer asks for their money back, a refund, reimbursement or return credit, or asks "
            "where a promised refund is."
        ),
        keywords=[
            r"\brefund(?:s|ed|ing)?\b",
            r"\bmoney back\b",
            r"\breimburse\w*",
            r"\bchargeback\b",
            r"\bcredit (?:back|note)\b",
            r"\b(?:sent|send|returned|posted) (?:it|them|the \w+|my \w+) back\b",
            r"\b(?:return(?:ed|ing)?|send(?:ing)? back|sent back) (?:the|it|them|my|this|an?|both)\b",
            r"\b(?:my|the|a) return\b|\breturn (?:label|request|policy|form|number)\b",
            # Asking for the money is the intent, whatever else the mail mentions (late, broken, ...).
            r"\b(?:want|like|request|need|get|demand|expect|claim)\w* (?:a |my |the |full |partial )*"
            r"(?:refund|money back|reimbursement)\b",
        ],
        examples=[
            "I want my money back",
            "I returned the item, when do I get my money",
            "What is your return policy for unused items",
            "You refunded the wrong amount",
            "Where is my refund, it has been three weeks",
            "Please refund the order I returned",
            "You promised a reimbursement and nothing arrived",
        ],
    ),
    Category(
        id="cancellation",
        label="Cancellation",
        description=(
            "The customer wants to cancel, end or not renew a subscription, contract, membership, account "
            "or order, or to stop automatic renewal."
        ),
        keywords=[
            r"\b(?<!noise )(?<!noise-)cancel\w*",
            r"\bunsubscrib\w*",
            r"\bterminat\w*",
            r"\bend (?:my|the|our) (?:subscription|contract|membership|plan)\b",
            r"\bclose (?:my|our) account\b",
            r"\bdelete (?:my|our) account\b",
            r"\b(?:stop|turn off|disable) (?:the )?(?:auto[- ]?)?renew\w*",
            r"\bnot (?:to )?renew\b",
            r"\bopt(?:ing)? out\b",
            r"\b(?:want|like|need|wish|decided|going) to (?:cancel|end|terminate|close|leave|quit|stop|switch)\b",
            r"\b(?:move|moving|switch|switching) to (?:another|a different|a new|a cheaper) "
            r"(?:provider|supplier|company|service)\b",
            r"\b(?:auto[- ]?renew\w*|freeze (?:my|the) (?:membership|account|subscription))\b",
            r"\bno longer (?:want|need) (?:the|my|this|your) (?:subscription|service|membership|plan|account)\b",
        ],
        examples=[
            "Please cancel my subscription",
            "I no longer need the service, please stop my membership",
            "What is the fee for ending my contract early",
            "Delete my account and all my data",
            "I want to close my account and stop the automatic renewal",
            "I would like to end my contract at the end of the month",
            "How do I cancel my order",
        ],
    ),
    Category(
        id="technical_issue",
        label="Technical issue",
        description=(
            "Something in the product, app or website does not work: errors, crashes, bugs, outages, "
            "slowness, features failing, sync or integration problems."
        ),
        keywords=[
            r"\berrors?\b",
            r"\bcrash\w*",
            r"\bbugs?\b",
            r"\bbroken\b",
            r"\b(?:not|isn't|isnt|doesn't|doesnt|won't|wont|stopped) "
            r"(?:work|working|load|loading|open|opening|sync\w*)\b",
            r"\bdoes not work\b",
            r"\bfreez\w*",
            r"\bglitch\w*",
            r"\boutage\b",
            r"\b(?:is|site|app|server|website) (?:is )?down\b",
            r"\bslow\b",
            r"\bblank (?:screen|page)\b",
            r"\b(?:500|404|502|503)\b",
            r"\bstopped \w+ing\b",
            r"\b(?:after|since) (?:the|your|an?) (?:latest |last |recent )?(?:software |app )?update\b",
            r"\b(?:sync|integration|upload|export|notifications?) (?:is |are )?(?:failing|failed|broken)\b",
            r"\bapp\b",
            r"\b(?:install|download|update|upgrade|upload)(?:ing)? (?:fails|failed|error|problem|issue)\w*",
            r"\b(?:won't|wont|can't|cannot|doesn't|does not|will not) "
            r"(?:connect|pair|install|update|sync|load|start|turn on|charge)\b",
            r"\b(?:wi-?fi|bluetooth|firmware|browser|router|connection|internet|signal|outbox)\b",
            r"\b(?:disconnect\w*|drops? out|keeps? dropping|greyed out|grayed out|unusable|not responding)\b",
            r"\b(?:api|endpoint|integration|webhook)s?\b",
            r"\b(?:page|screen|site|website) (?:is )?(?:blank|frozen|not loading|keeps)\b",
        ],
        examples=[
            "The app crashes every time I open it",
            "The device won't connect to wifi anymore",
            "Uploading a file fails with an unexpected error",
            "The page keeps loading forever",
            "The website is very slow today",
            "I get an error message when I click save",
            "The website is down and won't load",
            "Sync stopped working after the update",
        ],
    ),
    Category(
        id="account_access",
        label="Account access",
        description=(
            "The customer cannot log in or sign in, forgot or needs to reset a password, is locked out, "
            "has two-factor or verification code problems, or wants to change the account email."
        ),
        keywords=[
            r"\blog ?in\b",
            r"\blogin\b",
            r"\bsign(?:ing)? ?in\b",
            r"\bpassword\w*",
            r"\blocked out\b",
            r"\baccount (?:is |was |has been |got )?(?:locked|suspended|disabled|blocked|deactivated|frozen|hacked"
            r"|compromised)\b",
            r"\b(?:admin|administrator|permissions?|user roles?)\b",
            r"\blog ?on\b",
            r"\b(?:2fa|two[- ]factor|mfa|verification code|one[- ]time code|otp)\b",
            r"\breset link\b",
            r"\busername\b",
            r"\bcan(?:'t|not| not) access\b",
            r"\b(?:create|creating|register|registering|sign(?:ing)? up for) (?:an? |my )?(?:new )?account\b",
            r"\bregistration\b",
            r"\b(?:my|your) (?:profile|account settings)\b",
            r"\bsecurity (?:code|question)s?\b",
            r"\b(?:change|update) (?:my |the |our )?(?:account )?e-?mail(?: address)?\b",
            r"\bmerge (?:my |the |our )?accounts?\b|\btwo accounts\b",
            r"\b(?:give|grant|share|transfer) (?:\w+ )?(?:access|ownership)\b",
        ],
        examples=[
            "I can't log in to my account",
            "I forgot my password and the reset does not work",
            "I cannot create an account, the registration form fails",
            "How do I change the email address on my profile",
            "Someone else logged into my account",
            "The password reset email never arrives",
            "I am locked out after too many attempts",
            "I don't receive the two-factor verification code",
        ],
    ),
    Category(
        id="order_delivery",
        label="Order and delivery",
        description=(
            "Questions about an order, shipping, delivery, tracking, parcels that are late, lost, "
            "damaged or wrong, missing items, or changing a delivery address."
        ),
        keywords=[
            r"\bdeliver\w*",
            r"\bshipp\w*",
            r"\bship(?:s|ped)?\b",
            r"\bparcels?\b",
            r"\bpackages?\b",
            r"\btracking\b",
            r"\bcourier\b",
            r"\bdispatch\w*",
            r"\barriv\w*",
            r"\border (?:number|no\.?|#)",
            r"\bmy order\b",
            r"\bwrong (?:item|size|colou?r|product)\b",
            r"\bdamaged\b",
            r"\bmissing (?:item|items|part|parts)\b",
            r"\bwhere is my (?:order|parcel|package|delivery|stuff)\b",
            r"\b(?:placed|place|placing) (?:an |my |the )?order\b|\border\s*#?\s*\d{3,}\b",
            r"\b(?:change|update|edit|modify) (?:my |the )?(?:order|shipping address|delivery address|address)\b",
            r"\b(?:exchange|replacement) (?:for|of)\b|\bexchange it\b",
            r"\bpick ?up\b|\bcollect(?:ion)? (?:my|the|from)\b",
        ],
        examples=[
            "My parcel has not arrived yet",
            "Where is my order, it was due yesterday",
            "How long does shipping take to Germany",
            "One item was missing from the box",
            "Can I exchange it for a bigger size",
            "The tracking number shows no updates for a week",
            "I received the wrong item in my order",
            "Can I change the delivery address of my order",
            "The package arrived damaged",
        ],
    ),
    Category(
        id="product_question",
        label="Product question",
        description=(
            "A pre-sales or how-to question about a product or service: features, compatibility, "
            "availability, sizes, specifications, plans, or how to use something."
        ),
        keywords=[
            r"\bhow (?:do|can|does|to)\b",
            r"\bis it possible\b",
            r"\b(?:does|do|will|can) (?:it|this|that|they|you|the [\w -]{1,30}?) "
            r"(?:support|work with|come with|have|include|ship to|offer)\b",
            r"\bcompatib\w*",
            r"\bin stock\b",
            r"\bavailab\w*",
            r"\bspecifications?\b",
            r"\bwhich (?:plan|model|size|version)\b",
            r"\bdifference between\b",
            r"\bis there (?:a|an|any) (?:way|option|setting|version|model)\b",
            r"\b(?:can|could) (?:i|we|you) (?:use|buy|get|order|connect|choose|customi[sz]e)\b",
            r"\b(?:recommend|which one|warranty|guarantee|features?|dimensions|ingredients|material)\b",
            r"\bdo you (?:sell|offer|have|make|stock|ship)\b",
            # A plain question about the product that names nothing else: weak evidence on purpose.
            r"^\s*(?:is|are|does|do|can|will|what|which|how)\b[^?.!\n]{3,120}\?",
            r"\b(?:safe|suitable|vegan|organic|gluten|allergen\w*|waterproof|compatible) (?:for|with)?\b",
        ],
        examples=[
            "Does this model work with Mac?",
            "Do you sell replacement parts for this model",
            "Is there a way to use the app without internet",
            "What warranty comes with the vacuum",
            "Which size would you recommend for me",
            "How do I export my data to a spreadsheet",
            "Is the blue version back in stock",
            "What is the difference between the basic and pro plan",
        ],
    ),
    Category(
        id="feedback",
        label="Feedback and feature request",
        description=(
            "The customer gives feedback, praise, a complaint about the service in general, a suggestion "
            "or asks for a new feature or improvement."
        ),
        keywords=[
            r"\bfeedback\b",
            r"\bsuggest\w*",
            r"\bfeature request\b",
            r"\bwould be (?:great|nice|helpful|useful)\b",
            r"\bplease add\b",
            r"\bwish (?:list|you|it)\b",
            r"\bimprove\w*",
            r"\bcompliment\w*",
            r"\bkeep up\b",
            r"\bwell done\b",
            r"\b(?:reviews?|rating|survey)\b",
            r"\b(?:love|loved|loving|hate) (?:the|your|it|this|how|that)\b",
            r"\b(?:disappointed|impressed) (?:with|in|by)\b",
            r"\b(?:made my day|nice touch|kudos|shout[- ]?out|not good enough|too many (?:\w+ )?emails)\b",
            r"\bjust wanted to (?:say|let you know|thank)\b",
            r"\b(?:fantastic|excellent|amazing|brilliant|wonderful|great|poor|terrible) "
            r"(?:service|support|team|job|work|experience|staff)\b",
            r"\bcomplain\w*",
            r"\bnew (?:design|layout|version|look)\b",
            r"\b(?:could|can) you (?:please )?add\b|\badd (?:an? |the )?(?:option|feature|ability|widget|view)\b",
            r"\bhave you (?:thought|considered)\b|\bjust an idea\b|\bidea\b",
        ],
        examples=[
            "It would be great if the app had a dark mode",
            "I want to complain about how I was treated on the phone",
            "Your staff in the store were so helpful, thank you",
            "Please consider adding a calendar view",
            "Just wanted to say your team was fantastic",
            "A suggestion: let us export reports as PDF",
            "Your new design is much harder to use",
        ],
    ),
    Category(
        id="other",
        label="Other",
        description="Anything that fits none of the other categories.",
        # Mail that is clearly not a support request still deserves a confident "Other".
        keywords=[
            r"\b(?:collaborat\w*|partnership|sponsor\w*|donat\w*|journalist|press enquiry|internship)\b",
            r"\b(?:job|vacanc\w*|position|cv|résumé|resume)\b",
            r"\b(?:supplier|vendor) (?:registration|form|onboarding)\b|\bregister as a (?:supplier|vendor)\b",
            r"\bopening (?:hours|times)\b|\bwhat time (?:do|does) (?:you|your|the)\b",
        ],
    ),
)


def categories_for(settings: TriageSettings) -> tuple[Category, ...]:
    """The configured categories, or the default taxonomy; always including the fallback category.

    A user who replaces the taxonomy may forget the fallback; the classifier still needs somewhere to put
    low-confidence results, so a bare one is added rather than failing at start-up.
    """
    categories: Sequence[Category] = settings.categories or DEFAULT_CATEGORIES
    result = tuple(categories)
    if not any(c.id == settings.fallback_category for c in result):
        label = settings.fallback_category.replace("_", " ").strip().capitalize() or "Other"
        result = (*result, Category(id=settings.fallback_category, label=label))
    return result
