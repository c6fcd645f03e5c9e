"""The demo season shows what the service is for: clean cases and every kind of violation."""

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.demo import load_demo
from recruitment.models import Contract, Flag
from recruitment.rendering import ContractRenderer
from recruitment.services.contracts import Publication
from recruitment.settings import Settings


async def test_the_demo_season_raises_the_flags_of_the_troubles_it_stages(
    session: AsyncSession, renderer: ContractRenderer
) -> None:
    season = await load_demo(
        session, renderer, Publication.of(Settings(database_url=None)), workers=24, seed=7
    )
    assert season.workers == 24
    assert season.staff_key.startswith("rk_")
    open_codes = set(
        await session.exec(select(Flag.code).where(col(Flag.status) == "open").distinct())
    )
    expected = {"WAGE_BELOW_FLOOR", "TERMS_INCOMPLETE", "CONTRACTOR_REGISTRATION_EXPIRED"}
    staged = {
        "fee": {"RECRUITMENT_FEE_CHARGED", "RECRUITER_AGREEMENT_LACKS_FEE_BAN"},
        "layers": {"SUBCONTRACTING_LAYERS", "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED"},
        "not_direct": {"NOT_DIRECT_HIRE"},
        "sne_unverified": {"SNE_CHANNEL_UNVERIFIED"},
        "overdue_visa": {"REIMBURSEMENT_OVERDUE"},
        "late_contract": {"CONTRACT_NOT_DISCLOSED_BEFORE_VISA"},
        "wrong_language": {"CONTRACT_LANGUAGE_MISMATCH"},
    }
    for trouble, codes in staged.items():
        if season.troubles[trouble]:
            expected |= codes
    assert expected <= open_codes
    languages = set(await session.exec(select(Contract.language).distinct()))
    assert languages == {"es", "ht", "en"}
    issued = (await session.exec(select(func.count()).select_from(Contract))).one()
    assert issued == season.contracts
